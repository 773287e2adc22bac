package org.tfmnist.serving.http;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;

/**
 * The one way a prediction runs over HTTP, for the REST API and the page alike: a slot (503 when
 * {@code threads + queue} are taken), a lease on the version asked for, the work on a worker or
 * batch thread (never on a Jetty I/O thread), the metrics, and the answer. The slot, the lease and
 * the body's memory are released whatever happens, before the response is written. A failure of the
 * model is logged in full; the client gets a one-line message with no server path or Java class in
 * it.
 */
final class PredictPath {
  /** Starts the work on the leased version. */
  interface Work<T> {
    CompletableFuture<T> start(ModelManager.Lease lease) throws ApiException;
  }

  /** The response body for the version that answered and the work's result. */
  interface Render<T> {
    JsonObject render(long version, T result);
  }

  private final ModelManager models;
  private final ServingMetrics metrics;
  private final PrintStream log;
  private final Semaphore slots;
  private final String busy;
  private final AtomicLong failures = new AtomicLong();
  final Executor workers;

  PredictPath(
      ModelManager models,
      ServingMetrics metrics,
      PrintStream log,
      ServerOptions options,
      Executor workers) {
    this.models = models;
    this.metrics = metrics;
    this.log = log;
    this.slots = new Semaphore(options.threads() + options.queue());
    this.workers = workers;
    this.busy =
        "the server is busy: "
            + options.threads()
            + " requests running and "
            + options.queue()
            + " queued; try again later";
  }

  /** A 503 now if every slot is taken (checked before a body is read; taken after). */
  void checkNotBusy() throws ApiException {
    if (slots.availablePermits() == 0) {
      throw new ApiException(503, busy);
    }
  }

  /**
   * Runs {@code work} on the version {@code route} asks for and answers; {@code held} (the body's
   * memory) is closed once the work is done or refused.
   */
  <T> void run(
      Response response,
      Callback callback,
      RestRoute route,
      String api,
      long start,
      AutoCloseable held,
      Work<T> work,
      Render<T> render) {
    ModelManager.Lease lease;
    CompletableFuture<T> result;
    try {
      if (!slots.tryAcquire()) {
        throw new ApiException(503, busy);
      }
      try {
        lease = models.lease(route.model(), route.version(), route.label());
        try {
          result = work.start(lease);
        } catch (ApiException | RuntimeException e) {
          lease.close();
          throw e;
        }
      } catch (ApiException | RuntimeException e) {
        slots.release();
        throw e;
      }
    } catch (ApiException e) {
      closeQuietly(held);
      answerError(response, callback, route, api, e, start);
      return;
    }
    result.whenComplete(
        (value, failure) -> {
          long version = lease.version();
          try {
            lease.close();
          } finally {
            slots.release();
            closeQuietly(held);
          }
          if (failure != null) {
            answerError(response, callback, route, api, failed(route, version, failure), start);
            return;
          }
          response.getHeaders().put("X-Model-Version", Long.toString(version));
          metrics.request(
              route.model(), Long.toString(version), api, 200, System.nanoTime() - start);
          Responses.json(response, callback, 200, render.render(version, value));
        });
  }

  /** A failure as the client sees it: its own ApiException, or a 500 naming no server detail. */
  private ApiException failed(RestRoute route, long version, Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException e) {
      return e;
    }
    long id = failures.incrementAndGet();
    log.println(
        "error: predict failure "
            + id
            + " on model '"
            + route.model()
            + "' version "
            + version
            + ": "
            + cause);
    return new ApiException(
        500,
        "Internal: model '"
            + route.model()
            + "' version "
            + version
            + " failed to run this request (failure "
            + id
            + " in the server log)");
  }

  /**
   * An error answer; its metrics carry the model's name only for a model the server serves, so
   * requests for made-up names add no series.
   */
  void answerError(
      Response response,
      Callback callback,
      RestRoute route,
      String api,
      ApiException e,
      long start) {
    String model = route != null && models.serves(route.model()) ? route.model() : "";
    metrics.request(
        model, "", route == null ? "unknown" : api, e.status, System.nanoTime() - start);
    Responses.error(response, callback, e.status, e.getMessage());
  }

  private static void closeQuietly(AutoCloseable held) {
    if (held == null) {
      return;
    }
    try {
      held.close();
    } catch (Exception ignored) {
      // a body's account: closing it cannot fail
    }
  }
}
