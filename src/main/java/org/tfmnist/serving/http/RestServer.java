package org.tfmnist.serving.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
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
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * TensorFlow Serving's REST API on Jetty, over a {@link ModelManager}. Jetty reads requests without
 * holding a thread while a client is slow or idle (closed after the read timeout); a predict body
 * is parsed as it arrives ({@link PredictRequestParser}); at most {@code threads + queue} parsed
 * requests wait for or hold a worker, and past that a request gets 503 at once. Errors are TF
 * Serving's {@code {"error": "..."}}. {@link #stop()} answers the requests in flight before it
 * returns. Also serves the draw-a-digit page and the metrics.
 */
public final class RestServer implements AutoCloseable {
  /**
   * Largest request body accepted (413 beyond); the parsed images are bounded apart by {@code
   * maxImages}.
   */
  public static final long MAX_BODY_BYTES = 256L << 20;

  private static final long SHUTDOWN_IDLE_MS = 2000;
  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  private final ModelManager models;
  private final PredictService predicts;
  private final boolean ownsPredicts;
  private final ServerOptions options;
  private final ServingMetrics metrics;
  private final PrintStream log;
  private final DigitPage page;
  private Server server;

  /** A server with its own {@link PredictService} of {@code options.threads()} workers. */
  public RestServer(
      ModelManager models, ServerOptions options, ServingMetrics metrics, PrintStream log) {
    this(
        new PredictService(models, metrics, options.threads(), options.queue()),
        true,
        options,
        metrics,
        log);
  }

  /**
   * A server over a {@link PredictService} shared with other front ends (gRPC): they share its
   * slots, workers and batching; the caller closes it after the server.
   */
  public RestServer(
      PredictService predicts, ServerOptions options, ServingMetrics metrics, PrintStream log) {
    this(predicts, false, options, metrics, log);
  }

  private RestServer(
      PredictService predicts,
      boolean ownsPredicts,
      ServerOptions options,
      ServingMetrics metrics,
      PrintStream log) {
    this.models = predicts.models();
    this.predicts = predicts;
    this.ownsPredicts = ownsPredicts;
    this.options = options;
    this.metrics = metrics;
    this.log = log;
    this.page = new DigitPage(models);
  }

  /** Binds {@code host:port} (port 0: any free port) and starts serving; returns the port bound. */
  public synchronized int start(String host, int port) throws Exception {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    QueuedThreadPool io = new QueuedThreadPool(32, 4);
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
    return connector.getLocalPort();
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
      long start = System.nanoTime();
      if (path.startsWith("/monitoring/prometheus/metrics") && method.equals("GET")) {
        send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      } else if (!path.regionMatches(true, 0, "/v1/", 0, 4)) {
        page.handle(request, response, callback);
      } else {
        try {
          RestRoute route = RestRoute.parse(method, path);
          if (route.call().equals("predict")) {
            readPredict(
                request,
                response,
                callback,
                route,
                new PredictRequestParser(options.maxImages()),
                0,
                start);
          } else {
            answer(response, callback, route, describe(route), start);
          }
        } catch (ApiException e) {
          answerError(response, callback, null, e, start);
        }
      }
      return true;
    }
  }

  private JsonObject describe(RestRoute route) throws ApiException {
    if (route.call().equals("status")) {
      return RestApi.status(models.status(route.model(), route.version()));
    }
    try (ModelManager.Lease lease = models.lease(route.model(), route.version())) {
      return RestApi.metadata(route.model(), lease.version(), lease.predictor());
    }
  }

  /**
   * Feeds the body to the parser chunk by chunk as it arrives; no thread waits for a slow client.
   */
  private void readPredict(
      Request request,
      Response response,
      Callback callback,
      RestRoute route,
      PredictRequestParser parser,
      long bytes,
      long start) {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        long seen = bytes;
        request.demand(() -> readPredict(request, response, callback, route, parser, seen, start));
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        callback.failed(chunk.getFailure()); // the client went away or timed out
        return;
      }
      try {
        bytes += chunk.remaining();
        if (bytes > MAX_BODY_BYTES) {
          throw new ApiException(
              413, "request body larger than " + (MAX_BODY_BYTES >> 20) + " MiB");
        }
        parser.feed(chunk.getByteBuffer());
        if (chunk.isLast()) {
          chunk.release();
          predict(response, callback, route, parser.finish(), start);
          return;
        }
      } catch (ApiException e) {
        chunk.release();
        answerError(response, callback, route, e, start);
        return;
      }
      chunk.release();
    }
  }

  /**
   * Hands the parsed request to the {@link PredictService}, with the deadline {@code
   * --rest_api_timeout_in_ms} after the request arrived, and writes its answer or error.
   */
  private void predict(
      Response response, Callback callback, RestRoute route, PredictRequest request, long start) {
    long deadline = start + options.requestTimeout().toNanos();
    predicts
        .predict(route.model(), route.version(), request, deadline, "predict")
        .whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                ApiException e =
                    failure instanceof ApiException a
                        ? a
                        : new ApiException(500, "internal error: " + failure);
                if (e.status == 500) {
                  log.println("error: predict on model '" + route.model() + "': " + e.getMessage());
                }
                sendError(response, callback, e);
                return;
              }
              response.getHeaders().put("X-Model-Version", Long.toString(answer.version()));
              send(
                  response,
                  callback,
                  200,
                  "application/json",
                  GSON.toJson(RestApi.predictions(request.rows(), answer.predictions())));
            });
  }

  private void answer(
      Response response, Callback callback, RestRoute route, JsonObject body, long start) {
    metrics.request(route.model(), "", route.call(), 200, System.nanoTime() - start);
    send(response, callback, 200, "application/json", GSON.toJson(body));
  }

  private void answerError(
      Response response, Callback callback, RestRoute route, ApiException e, long start) {
    String model = route == null ? "" : route.model();
    String api = route == null ? "unknown" : route.call();
    metrics.request(model, "", api, e.status, System.nanoTime() - start);
    sendError(response, callback, e);
  }

  private static void sendError(Response response, Callback callback, ApiException e) {
    send(
        response,
        callback,
        e.status,
        "application/json",
        GSON.toJson(RestApi.error(e.getMessage())));
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
    send(response, callback, status, "application/json", GSON.toJson(RestApi.error(text)));
    return true;
  }

  static void send(Response response, Callback callback, int status, String type, String body) {
    send(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
