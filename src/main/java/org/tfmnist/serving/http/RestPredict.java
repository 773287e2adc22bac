package org.tfmnist.serving.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.tensor.JsonTensorWriter;

/**
 * {@code POST /v1/models/NAME[...]:predict}: reads the body whole ({@link WholeBody}), parses it
 * ({@link PredictBody}) and runs it on the {@link PredictPath}, whose worker types its values by
 * the signature the body names; an input of more than {@code maxImages} rows is a 413.
 */
final class RestPredict {
  private final PredictPath path;
  private final BodyBudget budget;
  private final int maxImages;

  RestPredict(PredictPath path, BodyBudget budget, int maxImages) {
    this.path = path;
    this.budget = budget;
    this.maxImages = maxImages;
  }

  void handle(Request request, Response response, Callback callback, RestRoute route, long start) {
    WholeBody.read(
        request,
        response,
        callback,
        route,
        start,
        budget,
        path,
        (memory, bytes) -> {
          PredictBody body = PredictBody.parse(bytes);
          path.run(
              response,
              callback,
              route,
              route.call().api(),
              start,
              memory,
              body.signature(),
              def -> bounded(body.request(def)),
              RestPredict::render);
        });
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

  private static String render(PredictService.Answer answer) throws ApiException {
    try {
      return JsonTensorWriter.write(answer.outputs(), answer.request().rows());
    } catch (JsonTensorWriter.RowFormatException e) {
      throw new ApiException(400, e.getMessage());
    }
  }
}
