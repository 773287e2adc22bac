package org.tfmnist.serving.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ModelConfig;
import org.tfmnist.serving.ModelConfigFile;
import org.tfmnist.serving.ModelConfigPoller;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.grpc.GrpcServer;
import org.tfmnist.serving.http.RestServer;

/**
 * The one composition root of the server: from {@link ServingOptions} it builds and starts the
 * model manager, the config file's poller, the {@link PredictService} shared by both protocols, one
 * {@link BodyBudget} for both, the REST server and the gRPC server, in that order; {@link #stop()}
 * answers the requests in flight, and {@link #close()} closes everything in the reverse order. Used
 * by {@code serve}, {@code benchmark --serve} and {@code warm-up}.
 */
public final class ModelServer implements AutoCloseable {
  private final ServingOptions options;
  private final ServingMetrics metrics = new ServingMetrics();
  private final List<AutoCloseable> opened = new ArrayList<>(); // closed last to first
  private List<ModelConfig> configs = List.of();
  private ModelManager models;
  private PredictService predicts;
  private RestServer rest;
  private GrpcServer grpc;
  private int restPort = -1;
  private int grpcPort = -1;

  private ModelServer(ServingOptions options) {
    this.options = options;
  }

  /**
   * Loads what {@code options} name and starts both servers; {@code out} hears the loads, {@code
   * err} the errors of requests and polls. Any failure closes what was started and is a one-line
   * error (a port already taken names its flag).
   */
  public static ModelServer start(ServingOptions options, PrintStream out, PrintStream err)
      throws TfmnistException {
    ModelServer s = new ModelServer(options);
    try {
      s.open(out, err);
      s.restPort = s.listen("--rest_api_port", options.restPort(), s.rest::start);
      s.grpcPort = s.listen("--port", options.grpcPort(), s.grpc::start);
    } catch (TfmnistException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void open(PrintStream out, PrintStream err) throws TfmnistException {
    models = track(openModels(out));
    if (options.source().kind() == ModelSource.Kind.CONFIG_FILE
        && !options.configPollWait().isZero()) {
      track(
          ModelConfigPoller.start(
              options.source().path(), models, configs, options.configPollWait(), err));
    }
    var http = options.http();
    predicts = track(new PredictService(models, metrics, http.threads(), http.queue(), err));
    BodyBudget budget = new BodyBudget(http.maxBodyMemory()); // REST's and gRPC's requests
    rest = track(new RestServer(predicts, budget, http, metrics, err));
    grpc =
        track(
            new GrpcServer(
                predicts,
                budget,
                metrics,
                http.maxImages(),
                http.drainTimeout(),
                options.grpc(),
                err));
  }

  private ModelManager openModels(PrintStream out) throws TfmnistException {
    ModelSource source = options.source();
    var load = options.load();
    var batching = options.batching();
    var poll = options.fileSystemPollWait();
    switch (source.kind()) {
      case DIRECTORY:
        return ModelManager.forDirectory(
            source.name(), source.path(), load, batching, metrics, out);
      case BASE_PATH:
        return ModelManager.forBasePath(
            source.name(), source.path(), poll, load, batching, metrics, out);
      default:
        configs = ModelConfigFile.read(source.path());
        try {
          return ModelManager.forConfigs(configs, poll, load, batching, metrics, out);
        } catch (TfmnistException e) {
          throw new TfmnistException(source.path() + ": " + e.getMessage(), e);
        }
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    opened.add(resource);
    return resource;
  }

  /** A port-binding step, which may fail as Jetty and Netty fail. */
  private interface Bind {
    int start(String host, int port) throws Exception;
  }

  private int listen(String flag, int wanted, Bind bind) throws TfmnistException {
    try {
      return bind.start(options.host(), wanted);
    } catch (Exception e) {
      throw new TfmnistException(
          flag
              + ": cannot listen on "
              + options.host()
              + ":"
              + wanted
              + ": "
              + TfmnistException.firstLine(String.valueOf(e.getMessage())),
          e);
    }
  }

  /** The options this server was started with. */
  public ServingOptions options() {
    return options;
  }

  /** The models served. */
  public ModelManager models() {
    return models;
  }

  /** The predict path both protocols share. */
  public PredictService predicts() {
    return predicts;
  }

  /** The metrics of both protocols. */
  public ServingMetrics metrics() {
    return metrics;
  }

  /** The configs read from the model config file at start-up (empty without one). */
  public List<ModelConfig> configs() {
    return configs;
  }

  /** The REST port bound. */
  public int restPort() {
    return restPort;
  }

  /** The gRPC port bound. */
  public int grpcPort() {
    return grpcPort;
  }

  /** Refuses new requests and answers those in flight (up to the drain timeout), gRPC first. */
  public void stop() {
    if (grpc != null) {
      grpc.stop();
    }
    if (rest != null) {
      rest.stop();
    }
  }

  /** Stops, then closes the predict path, the poller and the models (their versions unload). */
  @Override
  public void close() {
    stop();
    RuntimeException first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) { // close the rest, then report the first failure
        if (first == null) {
          first = new IllegalStateException("closing the server: " + e.getMessage(), e);
        }
      }
    }
    opened.clear();
    if (first != null) {
      throw first;
    }
  }
}
