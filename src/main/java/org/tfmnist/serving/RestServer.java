package org.tfmnist.serving;

import org.tfmnist.TfmnistException;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TensorFlow Serving's REST API over the JDK's {@link HttpServer}, for one model at version 1:
 * {@code GET /v1/models/NAME} (status), {@code GET /v1/models/NAME/metadata} and
 * {@code POST /v1/models/NAME:predict} (also under {@code /versions/1}). Errors are
 * {@code {"error": "..."}} with 400, 404, 405 or 413; no request can take the server down.
 * The caller owns the {@link Predictor} and closes it after {@link #stop()}.
 */
public final class RestServer implements AutoCloseable {
  /** Largest request body accepted (413 beyond). */
  public static final int MAX_BODY_BYTES = 8 << 20; // ~1,000 images of 784 floats as JSON; bounds the parsed tree
  /** How much of an oversized body is read and discarded before answering 413. */
  static final long MAX_DRAIN_BYTES = 2L * MAX_BODY_BYTES;
  private static final String PREFIX = "/v1/models/";

  private final RestApi api;
  private final int threads;
  private final PrintStream log;
  private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
  private HttpServer server;
  private ExecutorService executor;

  /** Serves {@code predictor} as model {@code name} with {@code threads} request threads; logs failures to {@code log}. */
  public RestServer(Predictor predictor, String name, int threads, PrintStream log) {
    this.api = new RestApi(predictor, name);
    this.threads = threads;
    this.log = log;
  }

  /** Binds {@code host:port} (port 0: any free port) and starts serving; returns the port bound. */
  public synchronized int start(String host, int port) throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 64);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "rest-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    executor = Executors.newFixedThreadPool(threads, factory);
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    server = s;
    return s.getAddress().getPort();
  }

  /** Stops accepting requests, lets running ones finish (up to a few seconds), and ends the threads. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      int status = 200;
      JsonObject body;
      try {
        body = route(exchange);
      } catch (ApiException e) {
        status = e.status;
        body = error(e.getMessage());
      } catch (RuntimeException | Error e) {
        status = 500;
        body = error("internal error: " + TfmnistException.firstLine(e.toString()));
        log.println("error: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
      }
      send(exchange, status, body);
    } catch (IOException e) {
      // the client went away; nothing to answer
    } catch (RuntimeException e) {
      log.println("error: " + exchange.getRequestURI() + ": cannot answer: " + e);
    }
  }

  private JsonObject route(HttpExchange exchange) throws ApiException, IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
      throw new ApiException(404, "Malformed request: " + method + " " + path);
    }
    String rest = path.substring(PREFIX.length());
    String verb = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      verb = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    boolean metadata = false;
    if (verb == null && rest.endsWith("/metadata")) {
      metadata = true;
      rest = rest.substring(0, rest.length() - "/metadata".length());
    }
    String[] parts = rest.split("/", -1);
    String name = parts[0];
    String version = null;
    if (parts.length == 3 && parts[1].equals("versions")) {
      version = parts[2];
    } else if (parts.length != 1) {
      throw new ApiException(404, "Malformed request: " + method + " " + path);
    }
    if (!name.equals(api.name())) {
      throw new ApiException(404, "Servable not found for request: Latest(" + name + ")");
    }
    if (version != null && !version.equals(RestApi.VERSION)) {
      throw new ApiException(404, "Servable not found for request: Specific(" + name + ", " + version + ")");
    }
    if (verb != null) {
      if (!verb.equals("predict")) {
        throw new ApiException(400, "unsupported verb \"" + verb + "\" (this server answers :predict)");
      }
      requireMethod(exchange, "POST");
      return api.predict(readBody(exchange));
    }
    requireMethod(exchange, "GET");
    return metadata ? api.metadata() : api.status();
  }

  private static void requireMethod(HttpExchange exchange, String allowed) throws ApiException {
    if (!exchange.getRequestMethod().equals(allowed)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      throw new ApiException(405, "method " + exchange.getRequestMethod() + " not allowed here; use " + allowed);
    }
  }

  private static String readBody(HttpExchange exchange) throws ApiException, IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    try (InputStream in = exchange.getRequestBody()) {
      if (length != null) {
        long declared;
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          throw new ApiException(400, "bad Content-Length: " + length);
        }
        if (declared > MAX_BODY_BYTES) {
          throw tooLarge(in);
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (body.size() + n > MAX_BODY_BYTES) {
          throw tooLarge(in);
        }
        body.write(buffer, 0, n);
      }
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * A 413, after reading and discarding what the client still sends (up to {@link #MAX_DRAIN_BYTES}),
   * so the client, still writing its body, reads the answer instead of a reset connection.
   */
  private static ApiException tooLarge(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long drained = 0;
    int n;
    while (drained < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0) {
      drained += n;
    }
    return tooLarge();
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "request body larger than " + (MAX_BODY_BYTES >> 20) + " MiB");
  }

  private static JsonObject error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return o;
  }

  private void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = gson.toJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
