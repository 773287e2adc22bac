package org.tfmnist.serving.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictRequest;

/**
 * {@code POST /v1/models/NAME[...]:predict}: reads the body chunk by chunk as it arrives, no thread
 * waiting on a slow client, into a {@link PredictRequestParser} whose images are charged to the
 * server's {@link BodyBudget}; then runs it on the {@link PredictPath}.
 */
final class RestPredict {
  /**
   * Largest request body accepted (413 beyond); the parsed images are bounded apart by {@code
   * maxImages}, and all bodies in flight together by the body budget.
   */
  static final long MAX_BODY_BYTES = 256L << 20;

  private final PredictPath path;
  private final BodyBudget budget;
  private final int maxImages;

  RestPredict(PredictPath path, BodyBudget budget, int maxImages) {
    this.path = path;
    this.budget = budget;
    this.maxImages = maxImages;
  }

  void handle(Request request, Response response, Callback callback, RestRoute route, long start) {
    BodyBudget.Reservation memory = budget.open();
    try {
      path.checkNotBusy();
      PredictRequestParser parser = new PredictRequestParser(maxImages, memory);
      new Reader(request, response, callback, route, parser, memory, start).read();
    } catch (ApiException e) {
      memory.close();
      path.answerError(response, callback, route, route.call(), e, start);
    }
  }

  /** One body being read; {@link #read} runs again each time more of it has arrived. */
  private final class Reader {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final RestRoute route;
    private final PredictRequestParser parser;
    private final BodyBudget.Reservation memory;
    private final long start;
    private long bytes;

    Reader(
        Request request,
        Response response,
        Callback callback,
        RestRoute route,
        PredictRequestParser parser,
        BodyBudget.Reservation memory,
        long start) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.route = route;
      this.parser = parser;
      this.memory = memory;
      this.start = start;
    }

    void read() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          memory.close();
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
            predict(parser.finish());
            return;
          }
        } catch (ApiException e) {
          chunk.release();
          memory.close();
          path.answerError(response, callback, route, route.call(), e, start);
          return;
        }
        chunk.release();
      }
    }

    private void predict(PredictRequest body) {
      path.run(
          response,
          callback,
          route,
          start,
          memory,
          body,
          answer -> RestApi.predictions(body.rows(), answer.predictions()));
    }
  }
}
