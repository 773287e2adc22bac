package org.tfmnist.serving.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.tensor.JsonTensorReader;

/**
 * A REST predict body: parsed once it has arrived, its {@code signature_name} read at once (it
 * chooses the signature whose dtypes type the values), its tensors made once the version is leased
 * ({@link #request}). NaN and Infinity are read for float inputs, as TF Serving reads them. Every
 * problem is a one-line 400 in TF Serving's words.
 */
final class PredictBody {
  private final JsonObject root;
  private final String signature;

  private PredictBody(JsonObject root, String signature) {
    this.root = root;
    this.signature = signature;
  }

  /** Parses {@code body} (UTF-8 JSON). */
  static PredictBody parse(byte[] body) throws ApiException {
    JsonObject root = tree(body);
    String signature = ServingSignature.DEFAULT_KEY;
    JsonElement name = root.get("signature_name");
    if (name != null) {
      if (!name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
        throw new ApiException(400, "'signature_name' key must be a string value.");
      }
      signature = name.getAsString();
    }
    try {
      JsonTensorReader.rows(root);
    } catch (JsonTensorReader.BadJsonException e) {
      throw new ApiException(400, e.getMessage());
    }
    return new PredictBody(root, signature);
  }

  /** The JSON object of a body (NaN and Infinity read), or TF Serving's 400. */
  static JsonObject tree(byte[] body) throws ApiException {
    JsonElement tree;
    try (Reader in =
        new InputStreamReader(new java.io.ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
      JsonReader reader = new JsonReader(in);
      reader.setStrictness(Strictness.LENIENT);
      tree = JsonParser.parseReader(reader);
      if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
        throw new JsonParseException("more than one JSON value");
      }
    } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
      throw new ApiException(
          400, "JSON Parse error: " + JsonText.printable(TfmnistException.firstLine(message(e))));
    }
    if (!tree.isJsonObject()) {
      throw new ApiException(400, "JSON Parse error: the body must be a JSON object");
    }
    return tree.getAsJsonObject();
  }

  private static String message(Exception e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return String.valueOf(cause.getMessage());
  }

  /** The signature asked for ({@code serving_default} unless named). */
  String signature() {
    return signature;
  }

  /** Whether the body is in row format ({@code instances}). */
  boolean rows() {
    return root.has("instances");
  }

  /** The request, its values typed by {@code def}. */
  PredictRequest request(SignatureDef def) throws ApiException {
    try {
      return new PredictRequest(
          signature, JsonTensorReader.inputs(root, def), outputFilter(), rows());
    } catch (JsonTensorReader.BadJsonException e) {
      throw new ApiException(400, JsonText.printable(e.getMessage()));
    }
  }

  /** TF Serving's REST has no output filter; an {@code output_filter} list is honoured here too. */
  private List<String> outputFilter() throws ApiException {
    JsonElement f = root.get("output_filter");
    List<String> out = new ArrayList<>();
    if (f == null) {
      return out;
    }
    if (!f.isJsonArray()) {
      throw new ApiException(400, "'output_filter' must be a list of output names");
    }
    for (JsonElement e : f.getAsJsonArray()) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw new ApiException(400, "'output_filter' must be a list of output names");
      }
      out.add(e.getAsString());
    }
    return out;
  }
}
