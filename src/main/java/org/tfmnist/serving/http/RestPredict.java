package org.tfmnist.serving.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.tensor.JsonTensorWriter;

/**
 * {@code POST /v1/models/NAME[...]:predict}: reads the body chunk by chunk as it arrives ({@link
 * BodyReader}, no thread waiting on a slow client), charged to the server's {@link BodyBudget};
 * then parses it ({@link PredictBody}) and runs it on the {@link PredictPath}, whose worker types
 * its values by the signature the body names.
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
      new BodyReader(
              request,
              callback,
              memory,
              LIMIT,
              new Body(response, callback, route, memory, start),
              e -> path.answerError(response, callback, route, route.call().api(), e, start))
          .read();
    } catch (ApiException e) {
      memory.close();
      path.answerError(response, callback, route, route.call().api(), e, start);
    }
  }

  /**
   * One body: its pieces gathered as they arrive (charged to the body budget, twice over for the
   * parsed tree), then parsed and run on the version it asks for.
   */
  private final class Body implements BodyReader.Sink {
    private final Response response;
    private final Callback callback;
    private final RestRoute route;
    private final BodyBudget.Reservation memory;
    private final long start;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Body(
        Response response,
        Callback callback,
        RestRoute route,
        BodyBudget.Reservation memory,
        long start) {
      this.response = response;
      this.callback = callback;
      this.route = route;
      this.memory = memory;
      this.start = start;
    }

    @Override
    public void feed(ByteBuffer piece) throws ApiException {
      memory.grow(piece.remaining());
      byte[] copy = new byte[piece.remaining()];
      piece.get(copy);
      bytes.write(copy, 0, copy.length);
    }

    @Override
    public void end() throws ApiException {
      memory.grow(TREE_BYTES_PER_BODY_BYTE * (long) bytes.size());
      PredictBody body = PredictBody.parse(bytes.toByteArray());
      path.run(
          response,
          callback,
          route,
          route.call().api(),
          start,
          memory,
          body.signature(),
          def -> bounded(body.request(def)),
          answer -> render(answer));
    }
  }

  /** The request, unless an input holds more than {@code maxImages} rows (413). */
  private PredictRequest bounded(PredictRequest request) throws ApiException {
    for (var e : request.inputs().entrySet()) {
      if (e.getValue().rows() > maxImages) {
        throw new ApiException(
            413,
            "input "
                + e.getKey()
                + " holds "
                + e.getValue().rows()
                + " rows; at most "
                + maxImages
                + " per request");
      }
    }
    return request;
  }

  /** Memory a parsed JSON tree takes for each byte of its text, at most (charged up front). */
  private static final int TREE_BYTES_PER_BODY_BYTE = 8;

  private static String render(PredictService.Answer answer) throws ApiException {
    try {
      return JsonTensorWriter.write(answer.outputs(), answer.request().rows());
    } catch (JsonTensorWriter.RowFormatException e) {
      throw new ApiException(400, e.getMessage());
    }
  }
}
