package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.serving.grpc.GrpcFixtures.assertStatus;
import static org.tfmnist.serving.grpc.GrpcFixtures.channel;
import static org.tfmnist.serving.grpc.GrpcFixtures.images;
import static org.tfmnist.serving.grpc.GrpcFixtures.pixels;
import static org.tfmnist.serving.grpc.GrpcFixtures.request;
import static org.tfmnist.serving.grpc.GrpcFixtures.restPredict;
import static org.tfmnist.serving.grpc.GrpcFixtures.shape;
import static org.tfmnist.serving.grpc.GrpcFixtures.sizes;
import static org.tfmnist.serving.grpc.GrpcFixtures.sorted;
import static org.tfmnist.serving.grpc.GrpcFixtures.spec;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.error.Code;
import org.tfmnist.TrainedModels;
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
@Tag("data")
class GrpcServerTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final int N = 5;
  @TempDir static Path tmp;
  static ModelManager models;
  static ServingMetrics metrics;
  static PredictService predicts;
  static RestServer rest;
  static GrpcServer grpc;
  static ManagedChannel channel;
  static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  static String restBase;

  @BeforeAll
  static void start() throws Exception {
    GrpcFixtures.test();
    Path model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    metrics = new ServingMetrics();
    models = ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
    predicts = new PredictService(models, metrics, 3, 32);
    rest = new RestServer(predicts, ServerOptions.defaults(), metrics, QUIET);
    restBase = "http://127.0.0.1:" + rest.start("127.0.0.1", 0) + "/v1/models/";
    grpc = new GrpcServer(predicts, metrics, 10_000, Duration.ofSeconds(5), QUIET);
    channel = channel(grpc.start("127.0.0.1", 0));
    stub = PredictionServiceGrpc.newBlockingStub(channel);
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
    JsonArray restPredictions = restPredict(restBase, N);
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
  void predictClassifiesRealDigitsAndPixelsAndFiltersOutputs() throws Exception {
    int n = 500;
    PredictResponse r = stub.predict(request(images(0, n, true)));
    TensorProto classes = r.getOutputsOrThrow("classes");
    int right = 0;
    for (int i = 0; i < n; i++) {
      right += classes.getInt64Val(i) == GrpcFixtures.test().labels()[i] ? 1 : 0;
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
    assertStatus( // an empty config is refused, the model served as before
        Status.Code.INVALID_ARGUMENT,
        "ReloadConfigRequest.config: model_config_list: no model configured",
        () -> models.handleReloadConfigRequest(ReloadConfigRequest.getDefaultInstance()));
    assertEquals(
        ModelVersionStatus.State.AVAILABLE,
        models
            .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec()).build())
            .getModelVersionStatus(0)
            .getState());
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
  void badTensorsGetTfServingsErrors() {
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
        "tensor parsing error: images (784 values for a shape of 783 elements)",
        () -> stub.predict(request(good.toBuilder().setTensorShape(shape(1, 783)).build())));
  }

  @Test
  void badSpecsGetTfServingsErrorsAndNoSlotStaysTaken() {
    TensorProto good = images(0, 1, false);
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
    assertStatus( // unknown models, served or malformed: no metric series named after them
        Status.Code.NOT_FOUND,
        "Servable not found for request: Latest(made-up-1)",
        () ->
            stub.predict(
                request(good).toBuilder().setModelSpec(spec().setName("made-up-1")).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "tensor parsing error: images",
        () ->
            stub.predict(
                request(good.toBuilder().addFloatVal(0f).build()).toBuilder()
                    .setModelSpec(spec().setName("made-up-2"))
                    .build()));
    assertFalse(metrics.scrape().contains("made-up"), metrics.scrape());
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
}
