package org.tfmnist.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;
import org.tfmnist.run.RunDirectory;
import org.tfmnist.train.listeners.MetricsCsv;

/**
 * A finished (or running) training run as {@code plot} and {@code summary} see it: its directory
 * name, its model and parameter count from {@code run.properties}, and its {@code metrics.csv}.
 * Runs made before {@code run.properties} named the model fall back to the tutorial's model of
 * their command (beginners: softmax, experts: cnn) and an unknown parameter count.
 *
 * @param parameters the trainable-parameter count, or -1 when the run did not record it
 */
record RunInfo(Path dir, String name, String model, long parameters, MetricsTable metrics) {

  /**
   * Reads {@code dir}; a missing directory, metrics.csv or an empty one is a one-line error naming
   * it.
   */
  static RunInfo load(Path dir) throws TfmnistException {
    if (!Files.isDirectory(dir)) {
      throw new TfmnistException(dir + ": not a run directory (no such directory)");
    }
    MetricsTable metrics = MetricsTable.read(dir.resolve(MetricsCsv.FILE_NAME));
    metrics.last(); // a run with no rows has nothing to show
    Properties settings =
        Files.exists(dir.resolve(RunDirectory.SETTINGS))
            ? RunDirectory.readSettings(dir)
            : new Properties();
    Path absolute = dir.toAbsolutePath().normalize();
    String name =
        absolute.getFileName() != null ? absolute.getFileName().toString() : absolute.toString();
    return new RunInfo(dir, name, model(settings), parameters(dir, settings), metrics);
  }

  private static String model(Properties settings) {
    String model = settings.getProperty("model");
    if (model != null && !model.isBlank()) {
      return model.trim();
    }
    String command = settings.getProperty("command", "").trim();
    return switch (command) {
      case "beginners" -> "softmax";
      case "experts" -> "cnn";
      case "" -> "-";
      default -> command;
    };
  }

  private static long parameters(Path dir, Properties settings) throws TfmnistException {
    String value = settings.getProperty("parameters");
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new TfmnistException(
          dir.resolve(RunDirectory.SETTINGS) + ": 'parameters' is not a number: " + value.trim());
    }
  }

  /** "name (model)", as the legend of {@code plot} names the run. */
  String label() {
    return model.equals("-") ? name : name + " (" + model + ")";
  }
}
