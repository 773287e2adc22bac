package org.tfmnist.serving.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictRequest;

/**
 * {@code POST /v1/models/NAME[...]:predict}: reads the body chunk by chunk as it arrives ({@link
 * BodyReader}, no thread waiting on a slow client) into a {@link PredictRequestParser} whose images
 * are charged to the server's {@link BodyBudget}; then runs it on the {@link PredictPath}.
 */
final class RestPredict {
  /**
   * Largest request body accepted (413 beyond); the parsed images are bounded apart by {@code
   * maxImages}, and all bodies in flight together by the body budget.
   */
  static final long MAX_BODY_BYTES = 256L << 20;

  private static final BodyReader.Limit LIMIT =
      new BodyReader.Limit("request body", MAX_BODY_BYTES);

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
      new BodyReader(
              request,
              callback,
              memory,
              LIMIT,
              new Body(response, callback, route, parser, memory, start),
              e -> path.answerError(response, callback, route, route.call().api(), e, start))
          .read();
    } catch (ApiException e) {
      memory.close();
      path.answerError(response, callback, route, route.call().api(), e, start);
    }
  }

  /** One body: its pieces parsed as they arrive, then the request run. */
  private final class Body implements BodyReader.Sink {
    private final Response response;
    private final Callback callback;
    private final RestRoute route;
    private final PredictRequestParser parser;
    private final BodyBudget.Reservation memory;
    private final long start;

    Body(
        Response response,
        Callback callback,
        RestRoute route,
        PredictRequestParser parser,
        BodyBudget.Reservation memory,
        long start) {
      this.response = response;
      this.callback = callback;
      this.route = route;
      this.parser = parser;
      this.memory = memory;
      this.start = start;
    }

    @Override
    public void feed(ByteBuffer piece) throws ApiException {
      parser.feed(piece);
    }

    @Override
    public void end() throws ApiException {
      PredictRequest body = parser.finish();
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
