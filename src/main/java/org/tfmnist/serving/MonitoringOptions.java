package org.tfmnist.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.TfmnistException;
import tensorflow.serving.MonitoringConfigOuterClass.MonitoringConfig;

/**
 * TF Serving's {@code --monitoring_config_file}: whether the Prometheus metrics are served and at
 * which REST path. As in TF Serving, they are served only when the file's {@code prometheus_config
 * { enable: true }} says so; {@code path} defaults to {@link #DEFAULT_PATH}.
 */
public record MonitoringOptions(boolean prometheus, String path) {
  /** TF Serving's {@code PrometheusExporter::kPrometheusPath}. */
  public static final String DEFAULT_PATH = "/monitoring/prometheus/metrics";

  /** No metrics served (TF Serving without a monitoring config). */
  public static final MonitoringOptions OFF = new MonitoringOptions(false, DEFAULT_PATH);

  /** Metrics served at TF Serving's default path. */
  public static final MonitoringOptions PROMETHEUS = new MonitoringOptions(true, DEFAULT_PATH);

  /** Reads the text-format {@code MonitoringConfig} in {@code file}. */
  public static MonitoringOptions read(Path file) throws TfmnistException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TfmnistException(
          file + ": cannot read the monitoring config file: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses a monitoring config's text; {@code source} names it in errors. */
  public static MonitoringOptions parse(String text, String source) throws TfmnistException {
    MonitoringConfig.Builder config = MonitoringConfig.newBuilder();
    try {
      TextFormat.getParser().merge(text, config);
    } catch (TextFormat.ParseException e) {
      throw new TfmnistException(
          source
              + ":"
              + e.getLine()
              + ":"
              + e.getColumn()
              + ": "
              + TfmnistException.firstLine(String.valueOf(e.getMessage()))
                  .replaceFirst("^\\d+:\\d+:\\s*", ""),
          e);
    }
    var prometheus = config.getPrometheusConfig();
    String path = prometheus.getPath().isEmpty() ? DEFAULT_PATH : prometheus.getPath();
    if (!path.startsWith("/") || path.startsWith("/v1/") || path.equals("/")) {
      throw new TfmnistException(
          source
              + ": prometheus_config.path: '"
              + path
              + "' must start with '/' and not be '/' or under /v1/ (the REST API's)");
    }
    return new MonitoringOptions(prometheus.getEnable(), path);
  }
}
