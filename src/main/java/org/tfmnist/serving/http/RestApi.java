package org.tfmnist.serving.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.serving.VersionStatus;

/**
 * TensorFlow Serving's REST bodies: model status, model metadata and errors (predict answers are
 * {@link org.tfmnist.serving.tensor.JsonTensorWriter}'s). Knows JSON, nothing of HTTP or of loading
 * models.
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
   * {@code GET /v1/models/NAME/metadata}: every signature as TF Serving's GetModelMetadata prints
   * it (proto JSON field names, int64 sizes as strings, unknown dimensions -1).
   */
  static JsonObject metadata(String name, long version, Map<String, SignatureDef> signatures) {
    JsonObject defs = new JsonObject();
    for (Map.Entry<String, SignatureDef> sig : signatures.entrySet()) {
      JsonObject def = new JsonObject();
      def.add("inputs", tensors(sig.getValue().getInputsMap()));
      def.add("outputs", tensors(sig.getValue().getOutputsMap()));
      def.addProperty("method_name", sig.getValue().getMethodName());
      defs.add(sig.getKey(), def);
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

  private static JsonObject tensors(Map<String, TensorInfo> infos) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, TensorInfo> t : new TreeMap<>(infos).entrySet()) {
      TensorShapeProto proto = t.getValue().getTensorShape();
      JsonObject shape = new JsonObject();
      JsonArray dims = new JsonArray();
      for (TensorShapeProto.Dim d : proto.getDimList()) {
        JsonObject dim = new JsonObject();
        dim.addProperty("size", Long.toString(d.getSize())); // int64 in proto JSON is a string
        dim.addProperty("name", d.getName());
        dims.add(dim);
      }
      shape.add("dim", dims);
      shape.addProperty("unknown_rank", proto.getUnknownRank());
      JsonObject info = new JsonObject();
      info.addProperty("dtype", t.getValue().getDtype().name());
      info.add("tensor_shape", shape);
      info.addProperty("name", t.getValue().getName());
      out.add(t.getKey(), info);
    }
    return out;
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
