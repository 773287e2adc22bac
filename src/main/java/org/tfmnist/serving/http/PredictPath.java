package org.tfmnist.serving.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * The HTTP side of the one predict path, for the REST API and the page alike: hands a request to
 * the {@link PredictService} (slot, lease, signature check, batching, deadline, metrics; the work
 * never runs on a Jetty I/O thread) with the deadline {@code --rest_api_timeout_in_ms} after it
 * arrived, releases the body's memory once the work is done or refused, and writes the answer or TF
 * Serving's error. The HTTP layer's own refusals (a body too large, malformed, or past the body
 * budget) are counted here.
 */
final class PredictPath {
  /** The response body for the service's answer. */
  interface Render {
    /** The JSON text of the answer; a {@link ApiException} when it cannot be written. */
    String render(PredictService.Answer answer) throws ApiException;
  }

  private final PredictService predicts;
  private final ServingMetrics metrics;
  private final Duration requestTimeout;

  PredictPath(PredictService predicts, ServingMetrics metrics, Duration requestTimeout) {
    this.predicts = predicts;
    this.metrics = metrics;
    this.requestTimeout = requestTimeout;
  }

  /** A 503 now if every slot is taken (checked before a body is read; taken after). */
  void checkNotBusy() throws ApiException {
    predicts.checkNotBusy();
  }

  /** Runs a parsed request on the version {@code route} asks for; {@code held} is then closed. */
  void run(
      Response response,
      Callback callback,
      RestRoute route,
      long start,
      AutoCloseable held,
      PredictRequest request,
      Render render) {
    answer(
        response,
        callback,
        held,
        predicts.predict(
            target(route),
            request.signature(),
            def -> request,
            deadline(start),
            route.call().api(),
            start),
        render);
  }

  /**
   * Runs the request that {@code prepare} makes on a worker once admitted (the page's picture), as
   * API {@code api}; {@code held} is then closed.
   */
  void run(
      Response response,
      Callback callback,
      RestRoute route,
      String api,
      long start,
      AutoCloseable held,
      String signature,
      PredictService.Preparer prepare,
      Render render) {
    answer(
        response,
        callback,
        held,
        predicts.predict(target(route), signature, prepare, deadline(start), api, start),
        render);
  }

  private static PredictService.Target target(RestRoute route) {
    return new PredictService.Target(route.model(), route.version(), route.label(), "REST");
  }

  private long deadline(long start) {
    long nanos = requestTimeout.toNanos();
    return nanos <= 0 ? PredictService.NO_DEADLINE : start + nanos;
  }

  private static void answer(
      Response response,
      Callback callback,
      AutoCloseable held,
      CompletableFuture<PredictService.Answer> result,
      Render render) {
    result.whenComplete(
        (answer, failure) -> {
          closeQuietly(held);
          if (failure != null) {
            ApiException e = apiException(failure);
            Responses.error(response, callback, e.status, e.getMessage());
            return;
          }
          String body;
          try {
            body = render.render(answer);
          } catch (ApiException e) {
            Responses.error(response, callback, e.status, e.getMessage());
            return;
          }
          response.getHeaders().put("X-Model-Version", Long.toString(answer.version()));
          Responses.send(response, callback, 200, "application/json", body);
        });
  }

  private static ApiException apiException(Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    return cause instanceof ApiException e
        ? e
        : new ApiException(500, "Internal: the request failed (see the server log)");
  }

  /**
   * An error of the HTTP layer; its metrics carry the model's name only for a model the server
   * serves, so requests for made-up names add no series.
   */
  void answerError(
      Response response,
      Callback callback,
      RestRoute route,
      String api,
      ApiException e,
      long start) {
    String model = route != null && predicts.models().serves(route.model()) ? route.model() : "";
    metrics.request(
        model, "", route == null ? "unknown" : api, "REST", e.status, System.nanoTime() - start);
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
