package org.tfmnist.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ModelConfigPoller;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.grpc.GrpcServer;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Serves a SavedModel, a base path of numbered versions, or TF Serving's model config file (several
 * models, version policies, labels) over TensorFlow Serving's gRPC API ({@code --port}) and REST
 * API ({@code --rest_api_port}).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves models over TensorFlow Serving's gRPC API (--port, 8500) and REST API",
      "(--rest_api_port, 8501), with a draw-a-digit page at /:",
      "  GET  /v1/models/NAME                 version status",
      "  GET  /v1/models/NAME/metadata        signatures",
      "  POST /v1/models/NAME:predict         {\"instances\": [[784 floats], ...]}",
      "  GET  /monitoring/prometheus/metrics  Prometheus metrics",
      "NAME/versions/N/... or NAME/labels/L/... reach one version of the model.",
      "SIGTERM or Ctrl-C answers the requests in flight, then exits 0."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ServeSource source;

  @Option(
      names = {"--model_name", "--name"},
      paramLabel = "NAME",
      defaultValue = "mnist",
      description =
          "Model name in the URLs (default: ${DEFAULT-VALUE}); a config file names its own.")
  String name;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8500",
      description =
          "gRPC port: TF Serving's PredictionService and ModelService (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--rest_api_port",
      paramLabel = "PORT",
      defaultValue = "8501",
      description = "REST port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int restPort;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the model to the network).")
  String host;

  @Option(
      names = "--file_system_poll_wait_seconds",
      paramLabel = "S",
      defaultValue = "2",
      description =
          "How often to look for new versions under --model_base_path; 0: never (default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(
      names = "--model_config_file_poll_wait_seconds",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "How often to re-read --model_config_file and apply it if it changed; 0: never"
              + " (default: ${DEFAULT-VALUE}). A bad file is logged and the old config kept.")
  int configPollSeconds;

  @Option(
      names = {"--rest_api_num_threads", "--threads"},
      paramLabel = "N",
      defaultValue = "8",
      description = "Predicts run at once, REST and gRPC together (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--max_queued_requests",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Predicts that may wait for a thread; beyond, 503 / UNAVAILABLE at once (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(
      names = "--rest_api_timeout_in_ms",
      paramLabel = "MS",
      defaultValue = "30000",
      description =
          "A REST predict's deadline, from its arrival: past it, 504 DEADLINE_EXCEEDED (default: ${DEFAULT-VALUE}). gRPC calls use the client's deadline.")
  long timeoutMs;

  @Option(
      names = "--enable_batching",
      description = "Merge concurrent predict requests into one session run.")
  boolean batching;

  @Option(
      names = "--max_batch_size",
      paramLabel = "N",
      defaultValue = "64",
      description = "Images per batch at most (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch_timeout_micros",
      paramLabel = "US",
      defaultValue = "2000",
      description =
          "How long a batch waits for more requests after its first (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Option(
      names = "--num_batch_threads",
      paramLabel = "N",
      defaultValue = "2",
      description = "Batches run at once (default: ${DEFAULT-VALUE}).")
  int batchThreads;

  @Mixin SessionFlags session = new SessionFlags();

  @Mixin DebugOption debug = new DebugOption();

  /** The warning for {@code --model_name} beside {@code --model_config_file}. */
  static final String IGNORED_NAME =
      "warning: --model_name is ignored with --model_config_file (the file names its models)";

  @Override
  public Integer call() throws TfmnistException {
    validate();
    PrintStream out = Console.out(spec);
    PrintStream err = Console.err(spec);
    warnIgnoredName(err);
    SessionOptions sessionOptions = session.options(spec, spec.commandLine().getErr());
    ServingMetrics metrics = new ServingMetrics();
    BatchingOptions batch =
        batching
            ? new BatchingOptions(true, maxBatchSize, batchTimeoutMicros, batchThreads)
            : BatchingOptions.OFF;
    ServerOptions options =
        ServerOptions.defaults()
            .withThreads(threads, queue)
            .withRequestTimeout(Duration.ofMillis(timeoutMs));
    BodyBudget budget = new BodyBudget(options.maxBodyMemory()); // REST's and gRPC's requests
    StopSignals stop = null;
    try (ModelManager models =
            source.open(
                name, Duration.ofSeconds(pollSeconds), sessionOptions, batch, metrics, out);
        ModelConfigPoller poller =
            source.poller(models, Duration.ofSeconds(configPollSeconds), err);
        PredictService predicts = new PredictService(models, metrics, threads, queue, err);
        RestServer rest = new RestServer(predicts, budget, options, metrics, err);
        GrpcServer grpc =
            new GrpcServer(
                predicts, budget, metrics, options.maxImages(), options.drainTimeout(), err)) {
      int restBound = listen("--rest_api_port", restPort, () -> rest.start(host, restPort));
      int grpcBound = listen("--port", port, () -> grpc.start(host, port));
      for (String model : models.names()) {
        if (models.latestLoaded(model) < 0) {
          out.println("no version of model '" + model + "' yet; waiting for BASE/1, BASE/2, ...");
        }
      }
      stop = StopSignals.install();
      printUsage(out, models, grpcBound, restBound);
      stop.await();
      out.println("stopping: answering the requests in flight");
      grpc.stop();
      rest.stop();
      out.println("stopped");
    } finally {
      if (stop != null) {
        stop.uninstall(); // after the models are closed: a second Ctrl-C does not cut that short
      }
    }
    return 0;
  }

  /**
   * A config file names its models, so {@code --model_name} is ignored with it (as TF Serving
   * ignores it); says so on stderr when the user gave it.
   */
  private void warnIgnoredName(PrintStream err) {
    if (source.configFile != null
        && spec.commandLine().getParseResult().hasMatchedOption(spec.findOption("--model_name"))) {
      err.println(IGNORED_NAME);
    }
  }

  /** A port-binding step, which may fail as Jetty and Netty fail. */
  private interface Bind {
    int start() throws Exception;
  }

  private int listen(String flag, int wanted, Bind bind) throws TfmnistException {
    try {
      return bind.start();
    } catch (Exception e) {
      throw new TfmnistException(
          flag
              + ": cannot listen on "
              + host
              + ":"
              + wanted
              + ": "
              + TfmnistException.firstLine(String.valueOf(e.getMessage())),
          e);
    }
  }

  private void validate() {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new ParameterException(
          spec.commandLine(),
          "--model_name: use letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (threads < 1
        || queue < 0
        || timeoutMs < 1
        || pollSeconds < 0
        || configPollSeconds < 0
        || maxBatchSize < 1
        || batchTimeoutMicros < 0
        || batchThreads < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--rest_api_num_threads, --rest_api_timeout_in_ms, --max_batch_size and"
              + " --num_batch_threads must be >= 1; --max_queued_requests, --file_system_poll_wait_seconds,"
              + " --model_config_file_poll_wait_seconds and --batch_timeout_micros >= 0");
    }
  }

  private void printUsage(PrintStream out, ModelManager models, int grpcBound, int restBound) {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    String root = "http://" + hostPart + ":" + restBound;
    String url = root + "/v1/models/" + (source.configFile == null ? name : models.name());
    out.println(
        "serving "
            + source.describe(name, pollSeconds)
            + (batching
                ? ", batching up to " + maxBatchSize + " images, " + batchTimeoutMicros + " us"
                : ""));
    out.println("page:     " + root + "/");
    out.println("status:   curl " + url);
    out.println("metadata: curl " + url + "/metadata");
    out.println("predict:  curl -d '{\"instances\": [[784 floats 0..1]]}' " + url + ":predict");
    out.println("metrics:  curl " + root + "/monitoring/prometheus/metrics");
    out.println(
        "gRPC:     "
            + hostPart
            + ":"
            + grpcBound
            + " tensorflow.serving.PredictionService/Predict, GetModelMetadata;"
            + " ModelService/GetModelStatus, HandleReloadConfigRequest");
    out.println("Ctrl-C stops");
  }
}
