package org.tfmnist.serving.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;
import org.tfmnist.serving.ApiException;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.ExampleListWithContext;
import tensorflow.serving.InputOuterClass.Input;

/**
 * The {@code examples} (and optional {@code context}) of a REST classify or regress body as TF
 * Serving reads them: each example an object of features, each feature a value or a list of values;
 * integers make an int64_list, other numbers a float_list, strings and {@code {"b64": ...}} a
 * bytes_list.
 */
final class ExampleJson {
  private ExampleJson() {}

  /** The Input of a classify or regress body. */
  static Input input(JsonObject root) throws ApiException {
    JsonElement list = root.get("examples");
    if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
      throw new ApiException(400, "'examples' must be a non-empty list of objects");
    }
    ExampleList.Builder examples = ExampleList.newBuilder();
    JsonArray a = list.getAsJsonArray();
    for (int i = 0; i < a.size(); i++) {
      examples.addExamples(example(a.get(i), "examples[" + i + "]"));
    }
    JsonElement context = root.get("context");
    if (context == null) {
      return Input.newBuilder().setExampleList(examples).build();
    }
    return Input.newBuilder()
        .setExampleListWithContext(
            ExampleListWithContext.newBuilder()
                .addAllExamples(examples.getExamplesList())
                .setContext(example(context, "context")))
        .build();
  }

  private static Example example(JsonElement e, String at) throws ApiException {
    if (!e.isJsonObject()) {
      throw new ApiException(400, at + ": an example must be a JSON object of features");
    }
    Features.Builder features = Features.newBuilder();
    for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
      features.putFeature(f.getKey(), feature(f.getValue(), at + "." + f.getKey()));
    }
    return Example.newBuilder().setFeatures(features).build();
  }

  private static Feature feature(JsonElement value, String at) throws ApiException {
    List<JsonElement> values =
        value.isJsonArray() ? value.getAsJsonArray().asList() : List.of(value);
    if (values.isEmpty()) {
      throw new ApiException(400, at + ": a feature needs at least one value");
    }
    Kind kind = kind(values.get(0), at);
    Int64List.Builder ints = Int64List.newBuilder();
    FloatList.Builder floats = FloatList.newBuilder();
    BytesList.Builder bytes = BytesList.newBuilder();
    for (JsonElement v : values) {
      Kind k = kind(v, at);
      if (k == Kind.INT && kind == Kind.FLOAT) {
        k = Kind.FLOAT; // 1 among 0.5s is a float
      } else if (k == Kind.FLOAT && kind == Kind.INT) {
        kind = Kind.FLOAT;
        ints.getValueList().forEach(n -> floats.addValue(n));
        ints.clear();
      }
      if (k != kind) {
        throw new ApiException(400, at + ": a feature's values must all be numbers or all strings");
      }
      switch (k) {
        case INT -> ints.addValue(v.getAsLong());
        case FLOAT -> floats.addValue(v.getAsFloat());
        default -> bytes.addValue(ByteString.copyFrom(bytes(v, at))); // BYTES
      }
    }
    return switch (kind) {
      case INT -> Feature.newBuilder().setInt64List(ints).build();
      case FLOAT -> Feature.newBuilder().setFloatList(floats).build();
      case BYTES -> Feature.newBuilder().setBytesList(bytes).build();
    };
  }

  private enum Kind {
    INT,
    FLOAT,
    BYTES
  }

  private static Kind kind(JsonElement v, String at) throws ApiException {
    if (v.isJsonObject() && v.getAsJsonObject().has("b64")) {
      return Kind.BYTES;
    }
    if (!v.isJsonPrimitive() || v.getAsJsonPrimitive().isBoolean()) {
      throw new ApiException(400, at + ": feature values are numbers, strings or {\"b64\": ...}");
    }
    JsonPrimitive p = v.getAsJsonPrimitive();
    if (p.isString()) {
      return Kind.BYTES;
    }
    String text = p.getAsString();
    return text.contains(".") || text.contains("e") || text.contains("E") ? Kind.FLOAT : Kind.INT;
  }

  private static byte[] bytes(JsonElement v, String at) throws ApiException {
    if (v.isJsonObject()) {
      try {
        return Base64.getDecoder().decode(v.getAsJsonObject().get("b64").getAsString());
      } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
        throw new ApiException(400, at + ": Unable to base64 decode");
      }
    }
    return v.getAsString().getBytes(StandardCharsets.UTF_8);
  }
}
