package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.serving.grpc.GrpcFixtures.assertStatus;
import static org.tfmnist.serving.grpc.GrpcFixtures.copy;

import com.google.gson.JsonParser;
import com.google.protobuf.Int64Value;
import com.google.protobuf.TextFormat;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.inference.PredictPhotosTest;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.LoadOptions;
import org.tfmnist.serving.ModelConfig;
import org.tfmnist.serving.ModelConfigFile;
import org.tfmnist.serving.ModelConfigPoller;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A model config file serving the softmax and the CNN as two models, {@code stable}/{@code canary}
 * labels over REST and gRPC, a pinned version 1 still answering after version 2 lands, the file
 * re-read and applied, a bad file logged while the old config keeps serving, and a config sent by
 * {@code HandleReloadConfigRequest}.
 */
@Tag("data")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigFileServingTest {
  static final int N = 100;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path tmp;
  PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  String rest;
  Dataset test;

  @Test
  void configFileServesTwoModelsWithLabelsOverRestAndGrpc() throws Exception {
    test = GrpcFixtures.test();
    Path softmax = TrainedModels.softmax(tmp.resolve("softmax/1")).savedModel();
    Path cnn = TrainedModels.experts(PredictPhotosTest.STEPS, tmp.resolve("cnn/1")).savedModel();
    Path base = tmp.resolve("mnist");
    copy(softmax, base.resolve("1"));
    Path file = tmp.resolve("models.config");
    Files.writeString(file, config(base, cnn.getParent(), 1));
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    List<ModelConfig> configs = ModelConfigFile.read(file);
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forConfigs(
                configs,
                Duration.ZERO,
                LoadOptions.defaults().withVersionLabelsForUnavailableModels(true),
                BatchingOptions.OFF,
                n -> {},
                log);
        ModelConfigPoller poller =
            ModelConfigPoller.start(file, models, configs, Duration.ofHours(1), log);
        PredictService predicts = new PredictService(models, metrics, 2, 16, log);
        RestServer server = new RestServer(predicts, ServerOptions.defaults(), metrics, log);
        GrpcServer grpc = new GrpcServer(predicts, metrics, 10_000, Duration.ofSeconds(5), log)) {
      rest = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/v1/models/";
      ManagedChannel channel = GrpcFixtures.channel(grpc.start("127.0.0.1", 0));
      try {
        stub = PredictionServiceGrpc.newBlockingStub(channel);
        twoModelsThenTheCanaryLands(models, base, cnn, channel);
        reReadAndBadFile(poller, file, base, cnn.getParent(), logged);
        var reload =
            ModelServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .handleReloadConfigRequest(
                    ReloadConfigRequest.newBuilder()
                        .setConfig(parse(config(base, cnn.getParent(), 1)))
                        .build());
        assertEquals(0, reload.getStatus().getErrorCodeValue());
        assertEquals(List.of("mnist", "cnn"), models.names());
        assertEquals(
            1,
            grpcPredict(spec("mnist").setVersionLabel("stable"))
                .getModelSpec()
                .getVersion()
                .getValue());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private void twoModelsThenTheCanaryLands(
      ModelManager models, Path base, Path cnn, ManagedChannel channel) throws Exception {
    assertEquals(List.of("mnist", "cnn"), models.names());
    double softmaxRest = restAccuracy("mnist/labels/stable", "1");
    PredictResponse stable = grpcPredict(spec("mnist").setVersionLabel("stable"));
    assertEquals(1, stable.getModelSpec().getVersion().getValue());
    double softmaxGrpc = accuracy(stable);
    double cnnGrpc = accuracy(grpcPredict(spec("cnn")));
    System.out.printf(
        "config file, %d test images: softmax REST %.3f gRPC %.3f, cnn gRPC %.3f%n",
        N, softmaxRest, softmaxGrpc, cnnGrpc);
    assertTrue(softmaxRest > 0.8 && softmaxGrpc == softmaxRest, softmaxRest + " " + softmaxGrpc);
    assertTrue(cnnGrpc > 0.9, "cnn " + cnnGrpc);
    assertStatus(
        Status.Code.NOT_FOUND,
        "Specific(mnist, 2)",
        () -> grpcPredict(spec("mnist").setVersionLabel("canary")));
    ModelVersionStatus status =
        ModelServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getModelStatus(
                GetModelStatusRequest.newBuilder()
                    .setModelSpec(spec("mnist").setVersionLabel("stable"))
                    .build())
            .getModelVersionStatus(0);
    assertEquals(1, status.getVersion());
    assertEquals(ModelVersionStatus.State.AVAILABLE, status.getState());

    copy(cnn, base.resolve("2")); // the canary lands
    models.poll();
    models.poll();
    assertEquals(2, models.latestLoaded("mnist"));
    PredictResponse pinned = grpcPredict(spec("mnist").setVersion(Int64Value.of(1)));
    assertEquals(1, pinned.getModelSpec().getVersion().getValue());
    assertEquals(softmaxGrpc, accuracy(pinned), "version 1 still the softmax");
    assertEquals(softmaxRest, restAccuracy("mnist/versions/1", "1"));
    PredictResponse canary = grpcPredict(spec("mnist").setVersionLabel("canary"));
    assertEquals(2, canary.getModelSpec().getVersion().getValue());
    assertTrue(accuracy(canary) > 0.9, "the canary is the CNN: " + accuracy(canary));
    assertTrue(restAccuracy("mnist/labels/canary", "2") > 0.9);
  }

  private void reReadAndBadFile(
      ModelConfigPoller poller, Path file, Path base, Path cnnBase, ByteArrayOutputStream logged)
      throws Exception {
    assertFalse(poller.poll(), "an unchanged file is not applied again");
    Files.writeString(file, config(base, cnnBase, 2)); // promote: stable on 2
    assertTrue(poller.poll());
    restAccuracy("mnist/labels/stable", "2");
    Files.writeString(file, "model_config_list { config { name: \"mnist\" bas_path: \"/x\" } }");
    assertFalse(poller.poll());
    assertFalse(poller.poll());
    String log = logged.toString(StandardCharsets.UTF_8);
    String line =
        "error: "
            + file
            + ":1:44: unknown field tensorflow.serving.ModelConfig.bas_path;"
            + " still serving the previous config";
    assertTrue(log.contains(line + "\n"), log);
    assertEquals(log.indexOf(line), log.lastIndexOf(line), "logged once: " + log);
    restAccuracy("mnist/labels/stable", "2"); // the old config still serves
    assertEquals(N, grpcPredict(spec("cnn")).getOutputsOrThrow("classes").getInt64ValCount());
  }

  /** The config file: mnist pinned to versions 1 and 2 with labels, and the cnn. */
  static String config(Path base, Path cnnBase, long stable) {
    return """
        model_config_list {
          config {
            name: "mnist"
            base_path: "%s"
            model_platform: "tensorflow"
            model_version_policy { specific { versions: 1 versions: 2 } }
            version_labels { key: "stable" value: %d }
            version_labels { key: "canary" value: 2 }
          }
          config { name: "cnn" base_path: "%s" }
        }
        """
        .formatted(base, stable, cnnBase);
  }

  private static ModelServerConfig parse(String text) throws TextFormat.ParseException {
    ModelServerConfig.Builder b = ModelServerConfig.newBuilder();
    TextFormat.getParser().merge(text, b);
    return b.build();
  }

  private static ModelSpec.Builder spec(String model) {
    return ModelSpec.newBuilder().setName(model);
  }

  private PredictResponse grpcPredict(ModelSpec.Builder spec) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .predict(
            tensorflow.serving.Predict.PredictRequest.newBuilder()
                .setModelSpec(spec)
                .putInputs("images", GrpcFixtures.images(0, N, true))
                .build());
  }

  private double accuracy(PredictResponse r) {
    List<Long> classes = r.getOutputsOrThrow("classes").getInt64ValList();
    int right = 0;
    for (int i = 0; i < N; i++) {
      right += classes.get(i) == test.labels()[i] ? 1 : 0;
    }
    return right / (double) N;
  }

  /** REST predict of the N images at {@code path}; asserts the version that answered. */
  private double restAccuracy(String path, String version) throws Exception {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < N; i++) {
      body.append(i == 0 ? "" : ",").append('[');
      for (int k = 0; k < 784; k++) {
        body.append(k == 0 ? "" : ",").append(test.images()[i * 784 + k]);
      }
      body.append(']');
    }
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(rest + path + ":predict"))
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertEquals(version, r.headers().firstValue("X-Model-Version").orElse(""), path);
    var predictions =
        JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
    int right = 0;
    for (int i = 0; i < N; i++) {
      int digit = predictions.get(i).getAsJsonObject().get("classes").getAsInt();
      right += digit == test.labels()[i] ? 1 : 0;
    }
    return right / (double) N;
  }
}
