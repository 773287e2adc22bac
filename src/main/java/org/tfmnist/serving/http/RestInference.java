package org.tfmnist.serving.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.Inference;
import tensorflow.serving.Classification.Class;
import tensorflow.serving.Classification.ClassificationResult;
import tensorflow.serving.Classification.Classifications;
import tensorflow.serving.RegressionOuterClass.Regression;
import tensorflow.serving.RegressionOuterClass.RegressionResult;

/**
 * {@code POST /v1/models/NAME[...]:classify} and {@code :regress}: TF Serving's body of {@code
 * examples} (and {@code context}) made into tf.Examples ({@link ExampleJson}), run as {@link
 * Inference} requests on the {@link PredictPath}, and answered as {@code {"results": ...}}: per
 * example a list of {@code [label, score]} pairs, or one regression value.
 */
final class RestInference {
  private final PredictPath path;
  private final BodyBudget budget;

  RestInference(PredictPath path, BodyBudget budget) {
    this.path = path;
    this.budget = budget;
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
        (memory, body) -> run(response, callback, route, start, memory, body));
  }

  private void run(
      Response response,
      Callback callback,
      RestRoute route,
      long start,
      BodyBudget.Reservation memory,
      byte[] body)
      throws ApiException {
    JsonObject root = PredictBody.tree(body);
    String key = signature(root);
    Inference.Examples examples = () -> Inference.serialize(ExampleJson.input(root));
    boolean classify = route.call() == RestRoute.Call.CLASSIFY;
    path.run(
        response,
        callback,
        route,
        route.call().api(),
        start,
        memory,
        key,
        def ->
            classify
                ? Inference.classify(def, key, examples)
                : Inference.regress(def, key, examples),
        answer ->
            classify
                ? Responses.GSON.toJson(classifications(Inference.classification(answer.outputs())))
                : Responses.GSON.toJson(regressions(Inference.regression(answer.outputs()))));
  }

  private static String signature(JsonObject root) throws ApiException {
    JsonElement name = root.get("signature_name");
    if (name == null) {
      return ServingSignature.DEFAULT_KEY;
    }
    if (!name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
      throw new ApiException(400, "'signature_name' key must be a string value.");
    }
    return name.getAsString();
  }

  private static JsonObject classifications(ClassificationResult result) {
    JsonArray results = new JsonArray();
    for (Classifications c : result.getClassificationsList()) {
      JsonArray pairs = new JsonArray();
      for (Class one : c.getClassesList()) {
        JsonArray pair = new JsonArray();
        pair.add(one.getLabel());
        pair.add(one.getScore());
        pairs.add(pair);
      }
      results.add(pairs);
    }
    JsonObject out = new JsonObject();
    out.add("results", results);
    return out;
  }

  private static JsonObject regressions(RegressionResult result) {
    JsonArray results = new JsonArray();
    for (Regression r : result.getRegressionsList()) {
      results.add(r.getValue());
    }
    JsonObject out = new JsonObject();
    out.add("results", results);
    return out;
  }
}
