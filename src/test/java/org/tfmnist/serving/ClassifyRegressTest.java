package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Example;
import org.tfmnist.testdata.ForeignModels;
import org.tfmnist.testdata.TensorValue;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;

/**
 * Classify, Regress and MultiInference, over gRPC and REST, on an estimator-style SavedModel whose
 * signatures read serialized tf.Examples; every score and value checked against a direct session
 * run of the same signature. A predict signature asked to classify gets TF Serving's error.
 */
@Tag("integration")
class ClassifyRegressTest {
  @TempDir static Path tmp;
  static Path model;
  static ServedModels served;
  static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  static String base;

  static final float[][] XS = {{1f, -2f}, {0.5f, 3f}, {-1f, -1f}};

  @BeforeAll
  static void start() throws Exception {
    model = ForeignModels.classifier(tmp.resolve("clf/1"));
    served =
        ServedModels.start(
            List.of(ModelConfig.latest("clf", tmp.resolve("clf"))), BatchingOptions.OFF);
    base = served.base + "clf";
    stub = served.stub;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    served.close();
  }

  static Input input() throws Exception {
    ExampleList.Builder list = ExampleList.newBuilder();
    for (float[] x : XS) {
      list.addExamples(Example.parseFrom(ForeignModels.example(x)));
    }
    return Input.newBuilder().setExampleList(list).build();
  }

  static Map<String, TensorValue> direct(String signature) {
    String key = signature.equals("regression") ? "inputs" : "inputs";
    return ForeignModels.directRun(model, signature, Map.of(key, ForeignModels.examples(XS)));
  }

  @Test
  void classifyAndRegressOverGrpcMatchADirectRun() throws Exception {
    ClassificationResponse c =
        stub.withDeadlineAfter(60, TimeUnit.SECONDS)
            .classify(
                ClassificationRequest.newBuilder()
                    .setModelSpec(
                        ModelSpec.newBuilder().setName("clf").setSignatureName("classification"))
                    .setInput(input())
                    .build());
    float[] scores = direct("classification").get("scores").floats();
    assertEquals(3, c.getResult().getClassificationsCount());
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        var one = c.getResult().getClassifications(i).getClasses(j);
        assertEquals(ForeignModels.CLASS_NAMES[j], one.getLabel());
        assertEquals(scores[i * 2 + j], one.getScore(), 1e-6);
      }
    }
    RegressionResponse r =
        stub.withDeadlineAfter(60, TimeUnit.SECONDS)
            .regress(
                RegressionRequest.newBuilder()
                    .setModelSpec(
                        ModelSpec.newBuilder().setName("clf").setSignatureName("regression"))
                    .setInput(input())
                    .build());
    float[] values = direct("regression").get("outputs").floats();
    for (int i = 0; i < 3; i++) {
      assertEquals(values[i], r.getResult().getRegressions(i).getValue(), 1e-6);
    }
    MultiInferenceResponse m =
        stub.withDeadlineAfter(60, TimeUnit.SECONDS)
            .multiInference(
                MultiInferenceRequest.newBuilder()
                    .addTasks(task("classification", "tensorflow/serving/classify"))
                    .addTasks(task("regression", "tensorflow/serving/regress"))
                    .setInput(input())
                    .build());
    assertEquals(2, m.getResultsCount());
    assertEquals(
        values[2], m.getResults(1).getRegressionResult().getRegressions(2).getValue(), 1e-6);
    StatusRuntimeException wrong =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                    .classify(
                        ClassificationRequest.newBuilder()
                            .setModelSpec(
                                ModelSpec.newBuilder().setName("clf").setSignatureName("predict"))
                            .setInput(input())
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, wrong.getStatus().getCode());
    assertTrue(
        wrong.getStatus().getDescription().contains("tensorflow/serving/classify"),
        wrong.getStatus().getDescription());
  }

  private static InferenceTask task(String signature, String method) {
    return InferenceTask.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("clf").setSignatureName(signature))
        .setMethodName(method)
        .build();
  }

  @Test
  void classifyAndRegressOverRestMatchADirectRun() throws Exception {
    String examples = "{\"x\": [1.0, -2.0]}, {\"x\": [0.5, 3.0]}, {\"x\": [-1.0, -1.0]}";
    JsonArray results =
        post(
                ":classify",
                "{\"signature_name\": \"classification\", \"examples\": [" + examples + "]}")
            .getAsJsonArray("results");
    float[] scores = direct("classification").get("scores").floats();
    JsonArray pair = results.get(1).getAsJsonArray().get(1).getAsJsonArray();
    assertEquals("pos", pair.get(0).getAsString());
    assertEquals(scores[3], pair.get(1).getAsFloat(), 1e-6);
    JsonArray values =
        post(":regress", "{\"signature_name\": \"regression\", \"examples\": [" + examples + "]}")
            .getAsJsonArray("results");
    assertEquals(direct("regression").get("outputs").floats()[1], values.get(1).getAsFloat(), 1e-6);
  }

  static JsonObject post(String verb, String body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + verb))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }
}
