package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;
import org.tfmnist.testdata.ForeignModels;
import org.tfmnist.testdata.TensorValue;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * SavedModels unlike this project's own (built in Java by {@link ForeignModels}: a 4-D float input,
 * two inputs, int64, bool, string, uint8, uint16, half and bfloat16 tensors) served over REST (row
 * and columnar formats, b64) and gRPC, every answer checked against a direct session run of the
 * same SavedModel. No data, no training.
 */
@Tag("integration")
class ForeignModelServingTest {
  @TempDir static Path tmp;
  static Path keras;
  static Path two;
  static Path typed;
  static ServedModels served;
  static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  static String base;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    keras = ForeignModels.kerasCnn(tmp.resolve("keras/1"));
    two = ForeignModels.twoInputs(tmp.resolve("two/1"));
    typed = ForeignModels.typed(tmp.resolve("typed/1"));
    served =
        ServedModels.start(
            List.of(
                ModelConfig.latest("keras", tmp.resolve("keras")),
                ModelConfig.latest("two", tmp.resolve("two")),
                ModelConfig.latest("typed", tmp.resolve("typed"))),
            new BatchingOptions(true, 8, 1000, 1));
    base = served.base;
    stub = served.stub.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    served.close();
  }

  static JsonObject post(String path, String body, int status) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static float[] pixels(int n) {
    float[] p = new float[n * 784];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) ((Math.sin(i * 0.37) + 1) / 2);
    }
    return p;
  }

  /** n images as [n][28][28][1] JSON. */
  static String nested(float[] p, int n) {
    StringBuilder b = new StringBuilder("[");
    for (int k = 0; k < n; k++) {
      b.append(k > 0 ? "," : "").append('[');
      for (int r = 0; r < 28; r++) {
        b.append(r > 0 ? "," : "").append('[');
        for (int c = 0; c < 28; c++) {
          b.append(c > 0 ? "," : "").append('[').append(p[k * 784 + r * 28 + c]).append(']');
        }
        b.append(']');
      }
      b.append(']');
    }
    return b.append(']').toString();
  }

  @Test
  void aKerasStyleCnnAnswersRestRowsAndGrpcAsADirectRunDoes() throws Exception {
    float[] p = pixels(3);
    Map<String, TensorValue> direct =
        ForeignModels.directRun(
            keras, "serving_default", Map.of("image", ForeignModels.images(p, 3)));
    float[] scores = direct.get("scores").floats();
    long[] digits = direct.get("digit").longs();
    JsonArray rows =
        post("keras:predict", "{\"instances\": " + nested(p, 3) + "}", 200)
            .getAsJsonArray("predictions");
    assertEquals(3, rows.size());
    for (int i = 0; i < 3; i++) {
      JsonObject row = rows.get(i).getAsJsonObject();
      assertEquals(digits[i], row.get("digit").getAsLong(), "image " + i);
      for (int c = 0; c < 10; c++) {
        assertEquals(scores[i * 10 + c], row.getAsJsonArray("scores").get(c).getAsFloat(), 1e-6);
      }
    }
    PredictResponse r =
        stub.predict(
            PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("keras"))
                .putInputs(
                    "image", TensorProtos.encode(HostTensor.floats(new long[] {3, 28, 28, 1}, p)))
                .addOutputFilter("digit")
                .build());
    assertEquals(List.of("digit"), List.copyOf(r.getOutputsMap().keySet()));
    TensorProto digit = r.getOutputsOrThrow("digit");
    assertEquals(DataType.DT_INT64, digit.getDtype());
    assertArrayEquals(
        digits, digit.getInt64ValList().stream().mapToLong(Long::longValue).toArray());
  }

  @Test
  void twoNamedInputsInColumnarFormatAndASecondSignature() throws Exception {
    JsonObject out =
        post(
                "two:predict",
                "{\"inputs\": {\"a\": [[1, 2, 3], [4, 5, 6]], \"b\": [[1, 0, 1], [0.5, 0.5, 0.5]]}}",
                200)
            .getAsJsonObject("outputs");
    Map<String, TensorValue> direct =
        ForeignModels.directRun(
            two,
            "serving_default",
            Map.of(
                "a", TensorValue.floats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6),
                "b", TensorValue.floats(new long[] {2, 3}, 1, 0, 1, 0.5f, 0.5f, 0.5f)));
    float[] dot = direct.get("dot").floats();
    for (int i = 0; i < 2; i++) {
      assertEquals(dot[i], out.getAsJsonArray("dot").get(i).getAsFloat(), 1e-6);
    }
    assertEquals(2, out.getAsJsonArray("sum").size());
    JsonObject scaled =
        post("two:predict", "{\"signature_name\": \"scale\", \"inputs\": [1.5, -2]}", 200)
            .getAsJsonObject("outputs");
    Map<String, TensorValue> directScale =
        ForeignModels.directRun(
            two, "scale", Map.of("x", TensorValue.doubles(new long[] {2}, 1.5, -2)));
    assertEquals(directScale.get("total").doubles()[0], scaled.get("total").getAsDouble(), 1e-12);
    JsonObject missing = post("two:predict", "{\"instances\": [{\"a\": [1, 2, 3]}]}", 400);
    assertTrue(
        missing.get("error").getAsString().contains("Missing but required: {b}"),
        missing.toString());
  }

  @Test
  void stringsTravelAsTextAndB64AndNarrowDtypesOverGrpc() throws Exception {
    byte[] raw = {'a', 'b', (byte) 0xff};
    JsonArray rows =
        post(
                "typed:predict",
                "{\"signature_name\": \"echo\", \"instances\": [\"hi\", {\"b64\": \""
                    + Base64.getEncoder().encodeToString(raw)
                    + "\"}]}",
                200)
            .getAsJsonArray("predictions");
    assertEquals(2, rows.get(0).getAsJsonObject().get("length").getAsInt());
    JsonElement upper = rows.get(1).getAsJsonObject().get("upper_bytes");
    assertArrayEquals(
        new byte[] {'A', 'B', (byte) 0xff},
        Base64.getDecoder().decode(upper.getAsJsonObject().get("b64").getAsString()));
    JsonObject ids = post("typed:predict", "{\"instances\": [[1, -2, 3, 0]]}", 200);
    JsonObject first = ids.getAsJsonArray("predictions").get(0).getAsJsonObject();
    assertEquals("[2,-4,6,0]", first.get("doubled").toString());
    assertEquals("[true,false,true,false]", first.get("positive").toString());

    PredictRequest narrow =
        PredictRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("typed").setSignatureName("narrow"))
            .putInputs("u8", tensor(DataType.DT_UINT8).addIntVal(200).addIntVal(1).build())
            .putInputs("u16", tensor(DataType.DT_UINT16).addIntVal(60000).addIntVal(2).build())
            .putInputs(
                "f16", tensor(DataType.DT_HALF).addHalfVal(0x3c00).addHalfVal(0x4000).build())
            .putInputs(
                "bf16", tensor(DataType.DT_BFLOAT16).addHalfVal(0x3f80).addHalfVal(0xc000).build())
            .build();
    PredictResponse r = stub.predict(narrow);
    TensorProto total = r.getOutputsOrThrow("total");
    assertEquals(200 + 60000 + 1 + 1, total.getFloatVal(0), 1e-3);
    assertEquals(1 + 2 + 2 - 2, total.getFloatVal(1), 1e-3);
    assertEquals(DataType.DT_HALF, r.getOutputsOrThrow("f16_doubled").getDtype());
    assertEquals(0x4000, r.getOutputsOrThrow("f16_doubled").getHalfVal(0)); // 2.0
    assertEquals(55, r.getOutputsOrThrow("u8_inverted").getIntVal(0));
    StatusRuntimeException wrongType =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                stub.predict(
                    narrow.toBuilder()
                        .putInputs("u8", tensor(DataType.DT_INT32).addIntVal(1).build())
                        .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, wrongType.getStatus().getCode());
  }

  private static TensorProto.Builder tensor(DataType type) {
    return TensorProto.newBuilder()
        .setDtype(type)
        .setTensorShape(TensorProtos.shapeProto(new long[] {1, 2}));
  }

  @Test
  void metadataListsEverySignatureWithUnknownDimensions() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "typed/metadata")).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonObject defs =
        JsonParser.parseString(r.body())
            .getAsJsonObject()
            .getAsJsonObject("metadata")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("signature_def");
    assertEquals(
        List.of("echo", "narrow", "narrow_signed", "serving_default"), List.copyOf(defs.keySet()));
    JsonObject ids =
        defs.getAsJsonObject("serving_default").getAsJsonObject("inputs").getAsJsonObject("ids");
    assertEquals("DT_INT64", ids.get("dtype").getAsString());
    assertEquals(
        "-1",
        ids.getAsJsonObject("tensor_shape")
            .getAsJsonArray("dim")
            .get(0)
            .getAsJsonObject()
            .get("size")
            .getAsString());
    GetModelMetadataResponse g =
        stub.getModelMetadata(
            GetModelMetadataRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("keras"))
                .addMetadataField("signature_def")
                .build());
    SignatureDefMap map = g.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
    assertEquals(
        List.of(-1L, 28L, 28L, 1L),
        map
            .getSignatureDefOrThrow("serving_default")
            .getInputsOrThrow("image")
            .getTensorShape()
            .getDimList()
            .stream()
            .map(d -> d.getSize())
            .toList());
  }
}
