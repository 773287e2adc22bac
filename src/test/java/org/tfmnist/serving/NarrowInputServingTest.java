package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.tensor.TensorProtos;
import org.tfmnist.testdata.ForeignModels;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Inputs of int8, int16, uint32 and uint64, which TF Java 1.1.0 has no tensors of, served over REST
 * (row and columnar) and gRPC through a shadow SavedModel that feeds them widened: the answers, the
 * metadata still declaring the narrow dtypes, out-of-range values refused naming the input, and the
 * shadow deleted when the model is unloaded or fails to load. No data, no training.
 */
@Tag("integration")
class NarrowInputServingTest {
  static final double U64 = 0x1p63 + 0x1p11; // 2^63 + 2048: a uint64 past int64, exact as a double
  @TempDir static Path tmp;
  static Path model;
  static ServedModels served;
  static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    model = ForeignModels.narrowInputs(tmp.resolve("narrow/1"));
    served =
        ServedModels.start(
            List.of(ModelConfig.latest("narrow", tmp.resolve("narrow"))),
            new BatchingOptions(true, 8, 1000, 1));
    stub = served.stub.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    served.close();
  }

  static HttpResponse<String> http(String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(served.base + path)).timeout(Duration.ofSeconds(60));
    return HTTP.send(
        body == null ? b.build() : b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject post(String body, int status) throws Exception {
    HttpResponse<String> r = http("narrow:predict", body);
    assertEquals(status, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void restRowsAndColumnsFeedEveryNarrowDtype() throws Exception {
    String row =
        "{\"i8\": [-128, 127], \"i16\": [-32768, 5], \"u32\": [4294967295, 0],"
            + " \"u64\": [9223372036854777856, 18446744073709551615]}";
    JsonObject first =
        post("{\"instances\": [" + row + "]}", 200)
            .getAsJsonArray("predictions")
            .get(0)
            .getAsJsonObject();
    assertEquals("[-128,127]", first.get("i8_echo").toString());
    assertEquals("[9223372036854777856,18446744073709551615]", first.get("u64_echo").toString());
    double[] total = {((-128.0 - 32768) + 4294967295.0) + U64, (127 + 5 + 0) + 0x1p64};
    assertEquals(total[0], first.getAsJsonArray("total").get(0).getAsDouble());
    assertEquals(total[1], first.getAsJsonArray("total").get(1).getAsDouble());
    JsonObject columns =
        post(
                "{\"inputs\": {\"i8\": [[1, 2], [3, 4]], \"i16\": [[10, 20], [30, 40]],"
                    + " \"u32\": [[100, 200], [300, 400]], \"u64\": [[0, 0], [1000, 2000]]}}",
                200)
            .getAsJsonObject("outputs");
    assertEquals("[[111.0,222.0],[1333.0,2444.0]]", columns.get("total").toString());
  }

  @Test
  void grpcFeedsTypedFieldsAndAnswersInTheNarrowDtypes() {
    PredictResponse r = stub.predict(request(-5).build());
    TensorProto total = r.getOutputsOrThrow("total");
    assertEquals(DataType.DT_DOUBLE, total.getDtype());
    assertEquals((-5.0 + 7 + 4294967295.0) + 0x1p64, total.getDoubleVal(0));
    assertEquals(DataType.DT_INT8, r.getOutputsOrThrow("i8_echo").getDtype());
    assertEquals(-5, r.getOutputsOrThrow("i8_echo").getIntVal(0));
    assertEquals(DataType.DT_UINT64, r.getOutputsOrThrow("u64_echo").getDtype());
    assertEquals(-1L, r.getOutputsOrThrow("u64_echo").getUint64Val(0)); // 2^64 - 1
  }

  private static PredictRequest.Builder request(int i8) {
    return PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("narrow"))
        .putInputs("i8", tensor(DataType.DT_INT8).addIntVal(i8).build())
        .putInputs("i16", tensor(DataType.DT_INT16).addIntVal(7).build())
        .putInputs("u32", tensor(DataType.DT_UINT32).addUint32Val(-1).build())
        .putInputs("u64", tensor(DataType.DT_UINT64).addUint64Val(-1L).build());
  }

  private static TensorProto.Builder tensor(DataType type) {
    return TensorProto.newBuilder()
        .setDtype(type)
        .setTensorShape(TensorProtos.shapeProto(new long[] {1, 2}));
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheInput() throws Exception {
    String rest =
        post(
                "{\"inputs\": {\"i8\": [[128, 0]], \"i16\": [[0, 0]], \"u32\": [[0, 0]],"
                    + " \"u64\": [[0, 0]]}}",
                400)
            .get("error")
            .getAsString();
    assertTrue(rest.contains("not of expected type: int8 (at inputs.i8[0][0])"), rest);
    String negative =
        post(
                "{\"instances\": [{\"i8\": [0, 0], \"i16\": [0, 0], \"u32\": [0, -1],"
                    + " \"u64\": [0, 0]}]}",
                400)
            .get("error")
            .getAsString();
    assertTrue(negative.contains("uint32 (at instances[0].u32[1])"), negative);
    StatusRuntimeException grpc =
        assertThrows(StatusRuntimeException.class, () -> stub.predict(request(300).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, grpc.getStatus().getCode());
    assertTrue(
        grpc.getStatus().getDescription().contains("i8 (int_val 300 is out of range for int8)"),
        grpc.getStatus().getDescription());
  }

  @Test
  void anInputThatIsNotAPlaceholderIsStillRefused() throws Exception {
    String error =
        post("{\"signature_name\": \"view\", \"instances\": [[1, 2]]}", 400)
            .get("error")
            .getAsString();
    assertTrue(error.contains("input 'i8' is int8: TensorFlow Java cannot feed int8"), error);
  }

  @Test
  void metadataStillDeclaresTheNarrowDtypes() throws Exception {
    JsonObject inputs =
        JsonParser.parseString(http("narrow/metadata", null).body())
            .getAsJsonObject()
            .getAsJsonObject("metadata")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("serving_default")
            .getAsJsonObject("inputs");
    assertEquals("DT_INT8", inputs.getAsJsonObject("i8").get("dtype").getAsString());
    assertEquals("narrow_i8:0", inputs.getAsJsonObject("i8").get("name").getAsString());
    assertEquals("DT_UINT64", inputs.getAsJsonObject("u64").get("dtype").getAsString());
    SignatureDef def =
        stub.getModelMetadata(
                GetModelMetadataRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName("narrow"))
                    .addMetadataField("signature_def")
                    .build())
            .getMetadataOrThrow("signature_def")
            .unpack(SignatureDefMap.class)
            .getSignatureDefOrThrow("serving_default");
    assertEquals(DataType.DT_INT16, def.getInputsOrThrow("i16").getDtype());
    assertEquals(DataType.DT_UINT32, def.getInputsOrThrow("u32").getDtype());
  }

  @Test
  void theShadowIsDeletedOnUnloadAndOnAFailedLoad(@TempDir Path scratch) throws Exception {
    Set<String> tags = Set.of(ForeignModels.TAG);
    SavedModelServable s = SavedModelServable.load(model, tags, SessionOptions.standard(), scratch);
    Path shadow = s.loadedFrom();
    assertNotEquals(model, shadow);
    assertTrue(Files.isSymbolicLink(shadow.resolve("variables")), "variables are linked");
    assertTrue(shadow.startsWith(scratch));
    s.close();
    assertFalse(Files.exists(shadow));
    assertTrue(Files.isRegularFile(model.resolve("variables/variables.index")), "original kept");

    Path broken = tmp.resolve("broken");
    ForeignModels.narrowInputs(broken);
    try (var data = Files.list(broken.resolve("variables"))) {
      for (Path f : data.filter(f -> f.toString().contains(".data-")).toList()) {
        Files.write(f, new byte[3]); // a truncated checkpoint: the restore fails
      }
    }
    TfmnistException e =
        assertThrows(
            TfmnistException.class,
            () -> SavedModelServable.load(broken, tags, SessionOptions.standard(), scratch));
    assertTrue(e.getMessage().startsWith(broken + ": cannot load"), e.getMessage());
    try (var left = Files.list(scratch)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
