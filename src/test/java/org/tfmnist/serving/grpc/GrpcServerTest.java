package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.error.Code;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;

/**
 * TF Serving's gRPC API, driven by stubs generated from the same .proto files, against a beginners
 * model trained on mnist-small and served by gRPC and REST over one {@link PredictService}.
 */
class GrpcServerTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final int N = 5;
  @TempDir static Path tmp;
  static Dataset test;
  static ModelManager models;
  static PredictService predicts;
  static RestServer rest;
  static GrpcServer grpc;
  static ManagedChannel channel;
  static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  static String restBase;

  @BeforeAll
  static void start() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    Path model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    ServingMetrics metrics = new ServingMetrics();
    models = ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
    predicts = new PredictService(models, metrics, 3, 32);
    rest = new RestServer(predicts, ServerOptions.defaults(), metrics, QUIET);
    restBase = "http://127.0.0.1:" + rest.start("127.0.0.1", 0) + "/v1/models/";
    grpc = new GrpcServer(predicts, metrics, 10_000, Duration.ofSeconds(5), QUIET);
    channel = channel(grpc.start("127.0.0.1", 0));
    stub = PredictionServiceGrpc.newBlockingStub(channel);
  }

  static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(GrpcServer.MAX_MESSAGE_BYTES)
        .build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.stop();
    rest.stop();
    predicts.close();
    models.close();
  }

  @Test
  void predictEqualsRestForBothTensorEncodings() throws Exception {
    JsonArray restPredictions = restPredict(N);
    for (boolean content : new boolean[] {false, true}) {
      PredictResponse r =
          stub.withDeadlineAfter(30, TimeUnit.SECONDS).predict(request(images(0, N, content)));
      assertEquals("mnist", r.getModelSpec().getName());
      assertEquals(1, r.getModelSpec().getVersion().getValue());
      assertEquals("serving_default", r.getModelSpec().getSignatureName());
      TensorProto classes = r.getOutputsOrThrow("classes");
      TensorProto probabilities = r.getOutputsOrThrow("probabilities");
      assertEquals(DataType.DT_INT64, classes.getDtype());
      assertEquals(List.of(N + 0L, 10L), sizes(probabilities.getTensorShape()));
      for (int i = 0; i < N; i++) {
        JsonObject p = restPredictions.get(i).getAsJsonObject();
        assertEquals(p.get("classes").getAsLong(), classes.getInt64Val(i), "image " + i);
        JsonArray restProbabilities = p.getAsJsonArray("probabilities");
        for (int c = 0; c < 10; c++) {
          assertEquals(
              restProbabilities.get(c).getAsFloat(),
              probabilities.getFloatVal(i * 10 + c),
              "image " + i + " class " + c + (content ? " (tensor_content)" : " (float_val)"));
        }
      }
    }
  }

  @Test
  void predictClassifiesRealDigitsAndPixelsAndFiltersOutputs() {
    int n = 500;
    PredictResponse r = stub.predict(request(images(0, n, true)));
    TensorProto classes = r.getOutputsOrThrow("classes");
    int right = 0;
    for (int i = 0; i < n; i++) {
      right += classes.getInt64Val(i) == test.labels()[i] ? 1 : 0;
    }
    assertTrue(right >= 0.85 * n, right + " of " + n + " right");
    PredictRequest pixels =
        PredictRequest.newBuilder()
            .setModelSpec(spec().setSignatureName("predict_pixels"))
            .putInputs("pixels", pixels(0, N))
            .addOutputFilter("classes")
            .build();
    PredictResponse p = stub.predict(pixels);
    assertEquals(List.of("classes"), List.copyOf(p.getOutputsMap().keySet()));
    assertEquals("predict_pixels", p.getModelSpec().getSignatureName());
    assertEquals(
        classes.getInt64ValList().subList(0, N),
        p.getOutputsOrThrow("classes").getInt64ValList(),
        "predict_pixels on the same images rounded to 0..255");
  }

  @Test
  void metadataShowsTheSignatures() {
    GetModelMetadataResponse r =
        stub.getModelMetadata(
            GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec())
                .addMetadataField("signature_def")
                .build());
    assertEquals(1, r.getModelSpec().getVersion().getValue());
    SignatureDefMap defs;
    try {
      defs = r.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    assertEquals(List.of("predict_pixels", "serving_default"), sorted(defs.getSignatureDefMap()));
    SignatureDef def = defs.getSignatureDefOrThrow("serving_default");
    assertEquals("tensorflow/serving/predict", def.getMethodName());
    TensorInfo images = def.getInputsOrThrow("images");
    assertEquals(DataType.DT_FLOAT, images.getDtype());
    assertEquals("x:0", images.getName());
    assertEquals(List.of(-1L, 784L), sizes(images.getTensorShape()));
    assertEquals(DataType.DT_INT64, def.getOutputsOrThrow("classes").getDtype());
    assertEquals(
        DataType.DT_UINT8,
        defs.getSignatureDefOrThrow("predict_pixels").getInputsOrThrow("pixels").getDtype());
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "GetModelMetadataRequest must specify at least one metadata_field",
        () ->
            stub.getModelMetadata(
                GetModelMetadataRequest.newBuilder().setModelSpec(spec()).build()));
  }

  @Test
  void statusShowsTheVersionsAndTheirStates() {
    ModelServiceGrpc.ModelServiceBlockingStub models = ModelServiceGrpc.newBlockingStub(channel);
    GetModelStatusResponse r =
        models.getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec()).build());
    assertEquals(1, r.getModelVersionStatusCount());
    ModelVersionStatus v = r.getModelVersionStatus(0);
    assertEquals(1, v.getVersion());
    assertEquals(ModelVersionStatus.State.AVAILABLE, v.getState());
    assertEquals(Code.OK, v.getStatus().getErrorCode());
    assertStatus(
        Status.Code.NOT_FOUND,
        "Could not find any versions of model nope",
        () ->
            models.getModelStatus(
                GetModelStatusRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName("nope"))
                    .build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Could not find version 7 of model mnist",
        () ->
            models.getModelStatus(
                GetModelStatusRequest.newBuilder()
                    .setModelSpec(spec().setVersion(Int64Value.of(7)))
                    .build()));
    assertStatus(
        Status.Code.UNIMPLEMENTED,
        "HandleReloadConfigRequest",
        () -> models.handleReloadConfigRequest(ReloadConfigRequest.getDefaultInstance()));
  }

  @Test
  void statusFollowsANewVersionAndPredictMovesToIt() throws Exception {
    Path base = tmp.resolve("base");
    copy(tmp.resolve("saved_model"), base.resolve("1"));
    try (ModelManager versions =
            ModelManager.forBasePath(
                "mnist", base, Duration.ZERO, BatchingOptions.OFF, n -> {}, QUIET);
        PredictService service = new PredictService(versions, new ServingMetrics(), 2, 8);
        GrpcServer server =
            new GrpcServer(service, new ServingMetrics(), 100, Duration.ofSeconds(5), QUIET)) {
      ManagedChannel ch = channel(server.start("127.0.0.1", 0));
      try {
        copy(tmp.resolve("saved_model"), base.resolve("2"));
        versions.poll(); // a new version loads once it looked the same on two polls
        versions.poll();
        GetModelStatusResponse r =
            ModelServiceGrpc.newBlockingStub(ch)
                .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec()).build());
        assertEquals(2, r.getModelVersionStatusCount(), r.toString());
        assertEquals(2, r.getModelVersionStatus(0).getVersion());
        assertEquals(ModelVersionStatus.State.AVAILABLE, r.getModelVersionStatus(0).getState());
        assertEquals(1, r.getModelVersionStatus(1).getVersion());
        assertEquals(ModelVersionStatus.State.END, r.getModelVersionStatus(1).getState());
        PredictionServiceGrpc.PredictionServiceBlockingStub s =
            PredictionServiceGrpc.newBlockingStub(ch);
        assertEquals(
            2, s.predict(request(images(0, 1, true))).getModelSpec().getVersion().getValue());
        assertStatus(
            Status.Code.NOT_FOUND,
            "Servable not found for request: Specific(mnist, 1)",
            () ->
                s.predict(
                    request(images(0, 1, true)).toBuilder()
                        .setModelSpec(spec().setVersion(Int64Value.of(1)))
                        .build()));
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    java.nio.file.Files.createDirectories(to.getParent());
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  void classifyAndRegressGetTfServingsErrorForAPredictSignature() {
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Expected classification signature method_name to be tensorflow/serving/classify."
            + " Was: tensorflow/serving/predict",
        () -> stub.classify(ClassificationRequest.newBuilder().setModelSpec(spec()).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Expected regression signature method_name to be tensorflow/serving/regress."
            + " Was: tensorflow/serving/predict",
        () -> stub.regress(RegressionRequest.newBuilder().setModelSpec(spec()).build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Servable not found for request: Latest(nope)",
        () ->
            stub.classify(
                ClassificationRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName("nope"))
                    .build()));
  }

  @Test
  void badPredictsGetTfServingsErrorsAndTheServerKeepsServing() {
    TensorProto good = images(0, 1, false);
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Expects arg[0] to be float but double is provided",
        () -> stub.predict(request(good.toBuilder().setDtype(DataType.DT_DOUBLE).build())));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "input size does not match signature: 2!=1 len({extra,images}) != len({images})."
            + " Sent extra: {extra}. Missing but required: {}.",
        () -> stub.predict(request(good).toBuilder().putInputs("extra", good).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "tensor parsing error: images",
        () -> stub.predict(request(good.toBuilder().addFloatVal(0f).build())));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "input images has shape [1, 783]",
        () -> stub.predict(request(good.toBuilder().setTensorShape(shape(1, 783)).build())));
    assertStatus(
        Status.Code.FAILED_PRECONDITION,
        "Serving signature key \"nope\" not found.",
        () ->
            stub.predict(
                request(good).toBuilder().setModelSpec(spec().setSignatureName("nope")).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "output tensor alias not found in signature: logits",
        () -> stub.predict(request(good).toBuilder().addOutputFilter("logits").build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Servable not found for request: Specific(mnist, 2)",
        () ->
            stub.predict(
                request(good).toBuilder()
                    .setModelSpec(spec().setVersion(Int64Value.of(2)))
                    .build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Unrecognized servable version label: stable",
        () ->
            stub.predict(
                request(good).toBuilder().setModelSpec(spec().setVersionLabel("stable")).build()));
    // TF's rule for short *_val lists: the last value repeats (one value: a constant image)
    TensorProto constant =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape(2, 784))
            .addFloatVal(0f)
            .build();
    assertEquals(
        2, stub.predict(request(constant)).getOutputsOrThrow("classes").getInt64ValCount());
    assertEquals(0, predicts.inFlight());
  }

  static void assertStatus(Status.Code code, String message, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(message), description);
  }

  static ModelSpec.Builder spec() {
    return ModelSpec.newBuilder().setName("mnist");
  }

  static PredictRequest request(TensorProto images) {
    return PredictRequest.newBuilder().setModelSpec(spec()).putInputs("images", images).build();
  }

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  static List<Long> sizes(TensorShapeProto shape) {
    return shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
  }

  static List<String> sorted(java.util.Map<String, ?> map) {
    return map.keySet().stream().sorted().toList();
  }

  /** Test images {@code from .. from+n} as DT_FLOAT [n, 784], in float_val or tensor_content. */
  static TensorProto images(int from, int n, boolean content) {
    float[] values = Arrays.copyOfRange(test.images(), from * 784, (from + n) * 784);
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(n, 784));
    if (content) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      t.setTensorContent(ByteString.copyFrom(b));
    } else {
      for (float f : values) {
        t.addFloatVal(f);
      }
    }
    return t.build();
  }

  /** The same images as DT_UINT8 [n, 28, 28] in int_val, rounded to 0..255. */
  static TensorProto pixels(int from, int n) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_UINT8).setTensorShape(shape(n, 28, 28));
    for (int i = from * 784; i < (from + n) * 784; i++) {
      t.addIntVal(Math.round(test.images()[i] * 255));
    }
    return t.build();
  }

  /** REST's row-format predictions for the first {@code n} test images. */
  static JsonArray restPredict(int n) throws Exception {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "[" : ",[");
      for (int k = 0; k < 784; k++) {
        body.append(k == 0 ? "" : ",").append(test.images()[i * 784 + k]);
      }
      body.append(']');
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(restBase + "mnist:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
  }
}
