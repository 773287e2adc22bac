package org.tfmnist.serving.http;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * TensorFlow Serving's REST API on Jetty, over a {@link ModelManager}. Jetty reads requests without
 * holding a thread while a client is slow or idle (closed after the read timeout); a predict body
 * is parsed as it arrives ({@link RestPredict}) within a bound on the memory of all bodies in
 * flight; at most {@code threads + queue} parsed requests wait for or hold a worker, and past that
 * a request gets 503 at once. Predictions from the API and the page run on one {@link
 * PredictService} (through {@link PredictPath}), which gRPC may share. Errors are TF Serving's
 * {@code {"error": "..."}}. {@link #stop()} answers the requests in flight before it returns. Also
 * serves the draw-a-digit page and the metrics.
 */
public final class RestServer implements AutoCloseable {
  /** Largest request body accepted (413 beyond). */
  public static final long MAX_BODY_BYTES = WholeBody.MAX_BODY_BYTES;

  private static final long SHUTDOWN_IDLE_MS = 2000;

  private final ModelManager models;
  private final PredictService predicts;
  private final boolean ownsPredicts;
  private final BodyBudget budget;
  private final ServerOptions options;
  private final ServingMetrics metrics;
  private final PrintStream log;
  private Server server;
  private volatile ServerConnector connector;
  private PredictPath path;
  private RestPredict predict;
  private RestInference inference;
  private DigitPage page;

  /** A server with its own {@link PredictService} of {@code options.threads()} workers. */
  public RestServer(
      ModelManager models, ServerOptions options, ServingMetrics metrics, PrintStream log) {
    this(
        new PredictService(models, metrics, options.threads(), options.queue(), log),
        true,
        new BodyBudget(options.maxBodyMemory()),
        options,
        metrics,
        log);
  }

  /**
   * A server over a {@link PredictService} shared with other front ends (gRPC): they share its
   * slots, workers and batching; the caller closes it after the server. Its bodies have a budget of
   * their own ({@code options.maxBodyMemory()}).
   */
  public RestServer(
      PredictService predicts, ServerOptions options, ServingMetrics metrics, PrintStream log) {
    this(predicts, new BodyBudget(options.maxBodyMemory()), options, metrics, log);
  }

  /**
   * A server over a {@link PredictService} and a {@link BodyBudget} shared with other front ends
   * (gRPC): one bound on the memory of requests in flight for the process ({@code
   * options.maxBodyMemory()} is then not used).
   */
  public RestServer(
      PredictService predicts,
      BodyBudget budget,
      ServerOptions options,
      ServingMetrics metrics,
      PrintStream log) {
    this(predicts, false, budget, options, metrics, log);
  }

  private RestServer(
      PredictService predicts,
      boolean ownsPredicts,
      BodyBudget budget,
      ServerOptions options,
      ServingMetrics metrics,
      PrintStream log) {
    this.models = predicts.models();
    this.predicts = predicts;
    this.ownsPredicts = ownsPredicts;
    this.budget = budget;
    this.options = options;
    this.metrics = metrics;
    this.log = log;
  }

  /** Binds {@code host:port} (port 0: any free port) and starts serving; returns the port bound. */
  public synchronized int start(String host, int port) throws Exception {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    path = new PredictPath(predicts, metrics, options.requestTimeout());
    predict = new RestPredict(path, budget, options.maxImages());
    inference = new RestInference(path, budget);
    page = new DigitPage(models, path, budget);
    // --rest_api_num_threads handle requests; two more are Jetty's acceptor and selector
    int ioThreads = Math.max(1, options.httpThreads()) + 2;
    QueuedThreadPool io = new QueuedThreadPool(ioThreads, Math.min(4, ioThreads));
    io.setName("http");
    io.setDaemon(true);
    Server s = new Server(io);
    ServerConnector connector = new ServerConnector(s, 1, 1);
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(options.readTimeout().toMillis());
    // stopping: idle keep-alive connections close after this; a client in the middle of a request
    // has this long between reads
    connector.setShutdownIdleTimeout(Math.min(options.readTimeout().toMillis(), SHUTDOWN_IDLE_MS));
    s.addConnector(connector);
    s.setHandler(new GracefulHandler(new Routes()));
    s.setErrorHandler(this::jettyError);
    s.setStopTimeout(options.drainTimeout().toMillis());
    s.setStopAtShutdown(false);
    try {
      s.start();
    } catch (Exception e) {
      s.stop();
      throw e;
    }
    server = s;
    this.connector = connector;
    return connector.getLocalPort();
  }

  /** The connections open now: idle, mid-request or answering (tests wait for clients on it). */
  int openConnections() {
    ServerConnector c = connector;
    return c == null ? 0 : c.getConnectedEndPoints().size();
  }

  /** The bytes that request bodies in flight hold now, as charged to the body budget. */
  long bodyMemoryInUse() {
    return budget.used();
  }

  /** Refuses new requests (503), answers those in flight (up to the drain timeout), and stops. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      log.println("error: stopping the server: " + e);
    }
    if (ownsPredicts) {
      predicts.close();
    }
    server = null;
  }

  @Override
  public void close() {
    stop();
  }

  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      String method = request.getMethod();
      long start = request.getBeginNanoTime(); // the request's first byte, not its routing
      MonitoringOptions monitoring = options.monitoring();
      if (monitoring.prometheus() && path.equals(monitoring.path()) && method.equals("GET")) {
        Responses.send(
            response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      } else if (!path.regionMatches(true, 0, "/v1/", 0, 4)) {
        page.handle(request, response, callback, start);
      } else {
        api(request, response, callback, method, path, start);
      }
      return true;
    }
  }

  private void api(
      Request request,
      Response response,
      Callback callback,
      String method,
      String uri,
      long start) {
    RestRoute route = null;
    try {
      route = RestRoute.parse(method, uri);
      if (route.call() == RestRoute.Call.PREDICT) {
        predict.handle(request, response, callback, route, start);
      } else if (route.call() == RestRoute.Call.CLASSIFY
          || route.call() == RestRoute.Call.REGRESS) {
        inference.handle(request, response, callback, route, start);
      } else {
        JsonObject body = describe(route);
        metrics.request(
            route.model(), "", route.call().api(), "REST", 200, System.nanoTime() - start);
        Responses.json(response, callback, 200, body);
      }
    } catch (ApiException e) {
      path.answerError(
          response, callback, route, route == null ? "" : route.call().api(), e, start);
    }
  }

  private JsonObject describe(RestRoute route) throws ApiException {
    if (route.call() == RestRoute.Call.STATUS) {
      return RestApi.status(models.status(route.model(), route.version(), route.label()));
    }
    try (ModelManager.Lease lease = models.lease(route.model(), route.version(), route.label())) {
      return RestApi.metadata(route.model(), lease.version(), lease.model().signatures());
    }
  }

  /**
   * Jetty's own refusals (malformed HTTP, headers too large, stopping) in TF Serving's error body.
   */
  private boolean jettyError(Request request, Response response, Callback callback) {
    Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    int status = response.getStatus();
    String text =
        status == 503
            ? "the server is shutting down"
            : message != null ? message.toString() : "HTTP error " + status;
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    Responses.error(response, callback, status, text);
    return true;
  }
}
