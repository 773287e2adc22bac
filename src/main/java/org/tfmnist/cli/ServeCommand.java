package org.tfmnist.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.serving.http.ServerOptions;
import org.tfmnist.serving.server.ModelServer;
import org.tfmnist.serving.server.ModelSource;
import org.tfmnist.serving.server.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves a SavedModel, a base path of numbered versions, or TF Serving's model config file (several
 * models, version policies, labels) over TensorFlow Serving's gRPC API ({@code --port}) and REST
 * API ({@code --rest_api_port}). Every flag of {@code tensorflow_model_server --help} is accepted
 * with its spelling and default (docs/serving-tfserving.md); the flags become one {@link
 * ServingOptions}, which {@link ModelServer} starts.
 */
@Command(
    name = "serve",
    sortOptions = false,
    versionProvider = VersionProvider.class,
    description = {
      "Serves models over TensorFlow Serving's gRPC API (--port, 8500) and REST API",
      "(--rest_api_port, 8501), with a draw-a-digit page at /, and accepts",
      "tensorflow_model_server's command lines (--flag=value, --flag value, --flag=true):",
      "  GET  /v1/models/NAME                 version status",
      "  GET  /v1/models/NAME/metadata        signatures",
      "  POST /v1/models/NAME:predict         {\"instances\": [[784 floats], ...]}",
      "  GET  /monitoring/prometheus/metrics  with --monitoring_config_file enabling it",
      "NAME/versions/N/... or NAME/labels/L/... reach one version of the model.",
      "SIGTERM or Ctrl-C answers the requests in flight, then exits 0."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      arity = "0..1",
      fallbackValue = "true",
      converter = TfBoolean.class,
      description = "Print version information and exit.")
  boolean version;

  @Mixin ServeSource source = new ServeSource();

  @Mixin ServeNetworkFlags network = new ServeNetworkFlags();

  @Mixin ServeLoadFlags load = new ServeLoadFlags();

  @Mixin SessionFlags session = new SessionFlags();

  @Mixin ServeCompatFlags compat = new ServeCompatFlags();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = Console.out(spec);
    PrintStream err = Console.err(spec);
    ServingOptions options = options(err);
    StopSignals stop = null;
    try (ModelServer server = ModelServer.start(options, out, err)) {
      for (String model : server.models().names()) {
        if (server.models().latestLoaded(model) < 0) {
          out.println("no version of model '" + model + "' yet; waiting for BASE/1, BASE/2, ...");
        }
      }
      stop = StopSignals.install();
      printUsage(out, server);
      stop.await();
      out.println("stopping: answering the requests in flight");
      server.stop();
      out.println("stopped");
    } finally {
      if (stop != null) {
        stop.uninstall(); // after the models are closed: a second Ctrl-C does not cut that short
      }
    }
    return 0;
  }

  /**
   * The options the command line names; a usage error (exit 2) or a one-line error for a bad file
   * names the flag or the file and field. Warnings (flags a config file overrides) go to {@code
   * err}.
   */
  ServingOptions options(PrintStream err) throws TfmnistException {
    compat.check(spec);
    ModelSource what = source.source(spec, err);
    SessionOptions sessionOptions = session.options(spec, spec.commandLine().getErr());
    BatchingOptions batching = load.batching(spec);
    long bound = batching.queuedRowsBound();
    int defaultQueue =
        batching.enabled()
            ? (int) Math.min(Integer.MAX_VALUE / 2, bound)
            : ServerOptions.DEFAULT_QUEUE;
    return new ServingOptions(
        what,
        network.host,
        network.port,
        network.restPort,
        network.http(spec, defaultQueue),
        network.grpc(),
        load.load(spec, sessionOptions, compat.methodNameCheck),
        batching,
        load.pollWait(spec),
        load.configPollWait());
  }

  private void printUsage(PrintStream out, ModelServer server) {
    ServingOptions o = server.options();
    ModelManager models = server.models();
    String host = o.host();
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    String root = "http://" + hostPart + ":" + server.restPort();
    String url = root + "/v1/models/" + models.name();
    BatchingOptions b = o.batching();
    out.println(
        "serving "
            + describe(o, server)
            + (b.enabled()
                ? ", batching up to "
                    + b.maxBatchSize()
                    + " rows, "
                    + b.batchTimeoutMicros()
                    + " us"
                : ""));
    out.println("page:     " + root + "/");
    out.println("status:   curl " + url);
    out.println("metadata: curl " + url + "/metadata");
    out.println("predict:  curl -d '{\"instances\": [[784 floats 0..1]]}' " + url + ":predict");
    MonitoringOptions monitoring = o.http().monitoring();
    if (monitoring.prometheus()) {
      out.println("metrics:  curl " + root + monitoring.path());
    }
    out.println(
        "gRPC:     "
            + hostPart
            + ":"
            + server.grpcPort()
            + (o.grpc().tls() != null ? " (TLS)" : "")
            + " tensorflow.serving.PredictionService/Predict, GetModelMetadata;"
            + " ModelService/GetModelStatus, HandleReloadConfigRequest");
    out.println("Ctrl-C stops");
  }

  private static String describe(ServingOptions o, ModelServer server) {
    ModelSource s = o.source();
    return switch (s.kind()) {
      case DIRECTORY -> s.path() + " as model '" + s.name() + "' version 1";
      case BASE_PATH ->
          "model '"
              + s.name()
              + "' from "
              + s.path()
              + " (latest version, polled every "
              + o.fileSystemPollWait().toSeconds()
              + " s)";
      case CONFIG_FILE ->
          "models "
              + String.join(", ", server.configs().stream().map(c -> "'" + c.name() + "'").toList())
              + " from "
              + s.path();
    };
  }
}
