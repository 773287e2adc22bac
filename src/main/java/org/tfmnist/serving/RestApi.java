package org.tfmnist.serving;

import org.tfmnist.TfmnistException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tfmnist.model.MnistShape;

/**
 * TensorFlow Serving's REST API bodies for one model: model status, model metadata and the
 * predict call in row ({@code instances}) and columnar ({@code inputs}) formats, for the
 * {@code serving_default} (784 floats per image) and {@code predict_pixels} (28x28 ints 0..255)
 * signatures. Knows JSON and the {@link Predictor}; nothing of HTTP.
 */
final class RestApi {
  static final String VERSION = "1";

  private final Predictor predictor;
  private final String name;

  RestApi(Predictor predictor, String name) {
    this.predictor = predictor;
    this.name = name;
  }

  String name() {
    return name;
  }

  /** {@code GET /v1/models/NAME}. */
  JsonObject status() {
    JsonObject status = new JsonObject();
    status.addProperty("error_code", "OK");
    status.addProperty("error_message", "");
    JsonObject version = new JsonObject();
    version.addProperty("version", VERSION);
    version.addProperty("state", "AVAILABLE");
    version.add("status", status);
    JsonArray versions = new JsonArray();
    versions.add(version);
    JsonObject out = new JsonObject();
    out.add("model_version_status", versions);
    return out;
  }

  /** {@code GET /v1/models/NAME/metadata}: the signatures, as TF Serving's GetModelMetadata prints them. */
  JsonObject metadata() {
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
    spec.addProperty("version", VERSION);
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

  /** {@code POST /v1/models/NAME:predict}. */
  JsonObject predict(String body) throws ApiException {
    JsonElement root;
    try {
      root = JsonParser.parseString(body);
    } catch (JsonParseException e) {
      throw new ApiException(400, "malformed JSON: " + TfmnistException.firstLine(e.getMessage()));
    }
    if (root == null || !root.isJsonObject()) {
      throw new ApiException(400, "the request must be a JSON object with \"instances\" or \"inputs\"");
    }
    JsonObject request = root.getAsJsonObject();
    String signature = ServingSignature.DEFAULT_KEY;
    if (request.has("signature_name")) {
      JsonElement s = request.get("signature_name");
      if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isString()) {
        throw new ApiException(400, "\"signature_name\" must be a string");
      }
      if (!s.getAsString().isEmpty()) {
        signature = s.getAsString();
      }
    }
    boolean pixels;
    if (signature.equals(ServingSignature.DEFAULT_KEY)) {
      pixels = false;
    } else if (signature.equals(ServingSignature.PIXELS_KEY) && predictor.hasSignature(signature)) {
      pixels = true;
    } else {
      throw new ApiException(400, "Serving signature name: \"" + signature + "\" not found in signature def");
    }
    String input = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    boolean rows = request.has("instances");
    if (rows == request.has("inputs")) {
      throw new ApiException(400, "the request must have exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
    }
    for (Map.Entry<String, JsonElement> e : request.entrySet()) {
      if (!List.of("instances", "inputs", "signature_name").contains(e.getKey())) {
        throw new ApiException(400, "unknown key \"" + e.getKey() + "\" in the request");
      }
    }
    List<JsonElement> batch = rows ? rowBatch(request.get("instances"), input) : columnBatch(request.get("inputs"), input);
    String where = rows ? "instances" : "inputs";
    Prediction[] predictions;
    if (pixels) {
      byte[] data = new byte[batch.size() * MnistShape.PIXELS];
      for (int i = 0; i < batch.size(); i++) {
        readPixels(batch.get(i), where + "[" + i + "]", data, i * MnistShape.PIXELS);
      }
      predictions = predictor.predictPixels(data, batch.size());
    } else {
      float[] data = new float[batch.size() * MnistShape.PIXELS];
      for (int i = 0; i < batch.size(); i++) {
        readImage(batch.get(i), where + "[" + i + "]", data, i * MnistShape.PIXELS);
      }
      predictions = predictor.predict(data, batch.size());
    }
    return rows ? rowResponse(predictions) : columnResponse(predictions);
  }

  private static List<JsonElement> rowBatch(JsonElement instances, String input) throws ApiException {
    List<JsonElement> out = new ArrayList<>();
    for (JsonElement instance : nonEmptyArray(instances, "instances")) {
      if (instance.isJsonObject()) {
        JsonObject named = instance.getAsJsonObject();
        if (named.size() != 1 || !named.has(input)) {
          throw new ApiException(400, "each named instance must have exactly the input \"" + input + "\", got " + named.keySet());
        }
        out.add(named.get(input));
      } else {
        out.add(instance);
      }
    }
    return out;
  }

  private static List<JsonElement> columnBatch(JsonElement inputs, String input) throws ApiException {
    if (inputs.isJsonObject()) {
      JsonObject named = inputs.getAsJsonObject();
      if (named.size() != 1 || !named.has(input)) {
        throw new ApiException(400, "\"inputs\" must have exactly the input \"" + input + "\", got " + named.keySet());
      }
      inputs = named.get(input);
    }
    List<JsonElement> out = new ArrayList<>();
    nonEmptyArray(inputs, "inputs").forEach(out::add);
    return out;
  }

  private static JsonArray nonEmptyArray(JsonElement e, String what) throws ApiException {
    if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
      throw new ApiException(400, "\"" + what + "\" must be a non-empty list of images");
    }
    return e.getAsJsonArray();
  }

  /** One image for serving_default: 784 numbers, 0..1. */
  private static void readImage(JsonElement e, String where, float[] out, int offset) throws ApiException {
    JsonArray values = array(e, where, MnistShape.PIXELS, "784 numbers (a 28x28 image, flattened)");
    for (int i = 0; i < MnistShape.PIXELS; i++) {
      double v = number(values.get(i), where + "[" + i + "]");
      out[offset + i] = (float) v;
    }
  }

  /** One image for predict_pixels: 28 rows of 28 integers 0..255. */
  private static void readPixels(JsonElement e, String where, byte[] out, int offset) throws ApiException {
    String expected = "28 rows of 28 integers 0..255";
    JsonArray rows = array(e, where, MnistShape.ROWS, expected);
    for (int r = 0; r < MnistShape.ROWS; r++) {
      JsonArray row = array(rows.get(r), where + "[" + r + "]", MnistShape.COLS, "28 integers 0..255");
      for (int c = 0; c < MnistShape.COLS; c++) {
        String at = where + "[" + r + "][" + c + "]";
        double v = number(row.get(c), at);
        if (v != Math.rint(v) || v < 0 || v > 255) {
          throw new ApiException(400, at + ": expected an integer 0..255, got " + row.get(c));
        }
        out[offset + r * MnistShape.COLS + c] = (byte) (int) v;
      }
    }
  }

  private static JsonArray array(JsonElement e, String where, int length, String expected) throws ApiException {
    if (!e.isJsonArray()) {
      throw new ApiException(400, where + ": expected " + expected + ", got " + describe(e));
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() != length) {
      throw new ApiException(400, where + ": expected " + expected + ", got a list of " + a.size());
    }
    return a;
  }

  private static double number(JsonElement e, String where) throws ApiException {
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      double v = e.getAsDouble();
      if (Double.isFinite(v)) {
        return v;
      }
    }
    throw new ApiException(400, where + ": expected a finite number, got " + describe(e));
  }

  private static String describe(JsonElement e) {
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
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

  private static JsonArray floats(float[] values) {
    JsonArray a = new JsonArray(values.length);
    for (float f : values) {
      a.add(new JsonPrimitive(f));
    }
    return a;
  }

}
