package org.tfmnist.serving.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.export.TensorSpec;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.serving.VersionStatus;

/**
 * TensorFlow Serving's REST bodies: model status, model metadata and predict responses in row
 * ({@code predictions}) and columnar ({@code outputs}) formats. Knows JSON, nothing of HTTP or of
 * loading models.
 */
final class RestApi {
  private RestApi() {}

  /** {@code GET /v1/models/NAME[/versions/N]}. */
  static JsonObject status(List<VersionStatus> statuses) {
    JsonArray versions = new JsonArray();
    for (VersionStatus s : statuses) {
      JsonObject status = new JsonObject();
      status.addProperty("error_code", s.errorCode());
      status.addProperty("error_message", s.errorMessage());
      JsonObject version = new JsonObject();
      version.addProperty("version", Long.toString(s.version()));
      version.addProperty("state", s.state().name());
      version.add("status", status);
      versions.add(version);
    }
    JsonObject out = new JsonObject();
    out.add("model_version_status", versions);
    return out;
  }

  /**
   * {@code GET /v1/models/NAME/metadata}: the signatures, as TF Serving's GetModelMetadata prints
   * them.
   */
  static JsonObject metadata(String name, long version, Predictor predictor) {
    JsonObject defs = new JsonObject();
    for (SignatureSpec sig : predictor.signatures()) {
      JsonObject def = new JsonObject();
      def.add("inputs", tensors(sig.inputs()));
      def.add("outputs", tensors(sig.outputs()));
      def.addProperty("method_name", sig.methodName());
      defs.add(sig.key(), def);
    }
    JsonObject signatureDefMap = new JsonObject();
    signatureDefMap.add("signature_def", defs);
    JsonObject metadata = new JsonObject();
    metadata.add("signature_def", signatureDefMap);
    JsonObject spec = new JsonObject();
    spec.addProperty("name", name);
    spec.addProperty("signature_name", "");
    spec.addProperty("version", Long.toString(version));
    JsonObject out = new JsonObject();
    out.add("model_spec", spec);
    out.add("metadata", metadata);
    return out;
  }

  private static JsonObject tensors(List<TensorSpec> specs) {
    JsonObject out = new JsonObject();
    for (TensorSpec t : specs) {
      JsonObject shape = new JsonObject();
      JsonArray dims = new JsonArray();
      if (t.dims() != null) {
        for (long d : t.dims()) {
          JsonObject dim = new JsonObject();
          dim.addProperty("size", Long.toString(d)); // int64 in proto JSON is a string
          dim.addProperty("name", "");
          dims.add(dim);
        }
      }
      shape.add("dim", dims);
      shape.addProperty("unknown_rank", t.dims() == null);
      JsonObject info = new JsonObject();
      info.addProperty("dtype", t.dtype());
      info.add("tensor_shape", shape);
      info.addProperty("name", t.tensorName());
      out.add(t.key(), info);
    }
    return out;
  }

  /** The predict response, in the format the request used. */
  static JsonObject predictions(boolean rows, Prediction[] predictions) {
    return rows ? rowResponse(predictions) : columnResponse(predictions);
  }

  private static JsonObject rowResponse(Prediction[] predictions) {
    JsonArray out = new JsonArray();
    for (Prediction p : predictions) {
      JsonObject o = new JsonObject();
      o.add(ServingSignature.OUTPUT_PROBABILITIES, floats(p.probabilities()));
      o.addProperty(ServingSignature.OUTPUT_CLASSES, p.digit());
      out.add(o);
    }
    JsonObject response = new JsonObject();
    response.add("predictions", out);
    return response;
  }

  private static JsonObject columnResponse(Prediction[] predictions) {
    JsonArray probabilities = new JsonArray();
    JsonArray classes = new JsonArray();
    for (Prediction p : predictions) {
      probabilities.add(floats(p.probabilities()));
      classes.add(p.digit());
    }
    JsonObject outputs = new JsonObject();
    outputs.add(ServingSignature.OUTPUT_PROBABILITIES, probabilities);
    outputs.add(ServingSignature.OUTPUT_CLASSES, classes);
    JsonObject response = new JsonObject();
    response.add("outputs", outputs);
    return response;
  }

  static JsonArray floats(float[] values) {
    JsonArray a = new JsonArray(values.length);
    for (float f : values) {
      a.add(new JsonPrimitive(f));
    }
    return a;
  }

  /** TF Serving's error body. */
  static JsonObject error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return o;
  }
}
