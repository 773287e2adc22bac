package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.inference.PredictPhotosTest;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerHardeningTest;
import org.tfmnist.serving.http.ServerOptions;

/**
 * Several models with version policies and labels over REST: the softmax and the CNN, {@code
 * stable}/{@code canary} labels, a pinned version that keeps answering when a newer one lands, and
 * configurations applied at runtime.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("data")
class SeveralModelsTest {
  static final HttpClient client = HttpClient.newHttpClient();
  static final int N = 100;
  @TempDir static Path tmp;
  static Path softmax;
  static Path cnn;
  static Dataset test;
  static String instances;

  @BeforeAll
  static void train() throws Exception {
    softmax = TrainedModels.softmax(tmp.resolve("softmax/1")).savedModel();
    cnn = TrainedModels.experts(PredictPhotosTest.STEPS, tmp.resolve("cnn/1")).savedModel();
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < N; i++) {
      sb.append(i == 0 ? "" : ",").append(ServerHardeningTest.imageOf(test, i));
    }
    instances = sb.append("]}").toString();
  }

  @Test
  void twoModelsWithLabelsAndAPinnedVersion() throws Exception {
    Path base = tmp.resolve("mnist");
    ModelVersionsTest.copy(softmax, base.resolve("1"));
    ModelConfig canaryOnTwo =
        new ModelConfig("mnist", base, specific(1, 2), Map.of("stable", 1L, "canary", 2L));
    ModelConfig cnnModel = ModelConfig.latest("cnn", cnn.getParent());
    try (ModelManager models =
            ModelManager.forConfigs(
                List.of(canaryOnTwo, cnnModel),
                Duration.ZERO,
                LoadOptions.defaults().withVersionLabelsForUnavailableModels(true),
                BatchingOptions.OFF,
                n -> {},
                ModelVersionsTest.QUIET);
        RestServer server =
            new RestServer(
                models, ServerOptions.defaults(), new ServingMetrics(), ModelVersionsTest.QUIET)) {
      String root = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/v1/models/";
      assertEquals(List.of("mnist", "cnn"), models.names());
      double softmaxAccuracy = accuracy(predict(root + "mnist/labels/stable:predict", "1"));
      double cnnAccuracy = accuracy(predict(root + "cnn:predict", "1"));
      System.out.printf(
          "accuracy on %d test images over REST: softmax %.3f, cnn %.3f%n",
          N, softmaxAccuracy, cnnAccuracy);
      assertTrue(softmaxAccuracy > 0.8, "softmax " + softmaxAccuracy);
      assertTrue(cnnAccuracy > 0.9, "cnn " + cnnAccuracy);
      assertError(
          root + "mnist/labels/canary:predict",
          404,
          "Servable not found for request: Specific(mnist, 2)");

      ModelVersionsTest.copy(cnn, base.resolve("2")); // the canary lands
      models.poll();
      models.poll();
      assertEquals(2, models.latestLoaded("mnist"));
      predict(root + "mnist/versions/1:predict", "1"); // pinned: still answering
      predict(root + "mnist/labels/stable:predict", "1");
      double canary = accuracy(predict(root + "mnist/labels/canary:predict", "2"));
      assertTrue(canary > 0.9, "the canary is the CNN: " + canary);
      predict(root + "mnist:predict", "2");
      assertStatus(root + "mnist/labels/stable", "1", "AVAILABLE");
      assertError(
          root + "mnist/labels/nope:predict", 400, "Unrecognized servable version label: nope");

      // promote: latest only, stable on 2; a third model pinned to 1; cnn removed
      models.apply(
          List.of(
              new ModelConfig("mnist", base, new VersionPolicy.Latest(1), Map.of("stable", 2L)),
              new ModelConfig("pinned", base, specific(1), Map.of())));
      assertError(
          root + "mnist/versions/1:predict",
          404,
          "Servable not found for request: Specific(mnist, 1)");
      predict(root + "mnist/labels/stable:predict", "2");
      predict(root + "pinned:predict", "1");
      assertError(root + "cnn:predict", 404, "Servable not found for request: Latest(cnn)");
      assertError(root + "cnn", 404, "Could not find any versions of model cnn");
    }
  }

  @Test
  void aBadConfigurationChangesNothing() throws Exception {
    Path base = tmp.resolve("bad");
    ModelVersionsTest.copy(softmax, base.resolve("1"));
    try (ModelManager models =
        ModelManager.forConfigs(
            List.of(ModelConfig.latest("mnist", base)),
            Duration.ZERO,
            LoadOptions.defaults(),
            BatchingOptions.OFF,
            n -> {},
            ModelVersionsTest.QUIET)) {
      TfmnistException twice =
          org.junit.jupiter.api.Assertions.assertThrows(
              TfmnistException.class,
              () ->
                  models.apply(
                      List.of(ModelConfig.latest("a", base), ModelConfig.latest("a", base))));
      assertEquals("model 'a' is configured twice", twice.getMessage());
      TfmnistException missing =
          org.junit.jupiter.api.Assertions.assertThrows(
              TfmnistException.class,
              () -> models.apply(List.of(ModelConfig.latest("b", tmp.resolve("nowhere")))));
      assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());
      assertEquals(List.of("mnist"), models.names());
      assertEquals(1, models.latestLoaded("mnist"));
    }
  }

  private static VersionPolicy specific(long... versions) {
    TreeSet<Long> set = new TreeSet<>();
    for (long v : versions) {
      set.add(v);
    }
    return new VersionPolicy.Specific(set);
  }

  /** Predicts the N test images at {@code url}; asserts the version that answered. */
  private static JsonArray predict(String url, String version) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(instances))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    assertEquals(version, r.headers().firstValue("X-Model-Version").orElse(""), url);
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
  }

  private static double accuracy(JsonArray predictions) {
    int right = 0;
    for (int i = 0; i < N; i++) {
      int digit = predictions.get(i).getAsJsonObject().get("classes").getAsInt();
      right += digit == test.labels()[i] ? 1 : 0;
    }
    return right / (double) N;
  }

  private static void assertError(String url, int status, String message) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    HttpRequest request =
        url.endsWith(":predict")
            ? b.POST(HttpRequest.BodyPublishers.ofString(instances)).build()
            : b.build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), url + ": " + r.body());
    assertEquals(
        message,
        JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString(),
        url);
  }

  private static void assertStatus(String url, String version, String state) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonArray statuses =
        JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("model_version_status");
    assertEquals(1, statuses.size(), r.body());
    assertEquals(version, statuses.get(0).getAsJsonObject().get("version").getAsString());
    assertEquals(state, statuses.get(0).getAsJsonObject().get("state").getAsString());
  }
}
