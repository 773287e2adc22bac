package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MnistSignatures;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ModelVersionsTest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * Faults of the REST server found in review: metric series for unknown models, the page's predict
 * outside the predict path, and a failing unload that kept a slot and the response.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag("data")
class ServingFaultsTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir static Path tmp;
  static Path model;
  static Dataset test;

  @BeforeAll
  static void train() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
  }

  @Test
  void predictsForUnknownModelsAddNoMetricSeries() throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        RestServer server = new RestServer(models, ServerOptions.defaults(), metrics, QUIET)) {
      String root = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
      String before = metrics.scrape();
      String body = "{\"instances\": [" + ServerHardeningTest.imageOf(test, 0) + "]}";
      for (int i = 0; i < 50; i++) {
        HttpResponse<String> r = post(root + "/v1/models/nosuch" + i + ":predict", body);
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(400, post(root + "/v1/models/nosuchjson" + i + ":predict", "{").statusCode());
      }
      String after = metrics.scrape();
      assertFalse(after.contains("nosuch"), after);
      assertTrue(
          after.length() < before.length() + 2000,
          "50 unknown names grew the scrape from " + before.length() + " to " + after.length());
    }
  }

  @Test
  void thePagePredictsThroughTheBatchesAndShowsInTheMetrics() throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory(
                "mnist", model, new BatchingOptions(true, 64, 1000, 1), metrics, QUIET);
        RestServer server = new RestServer(models, ServerOptions.defaults(), metrics, QUIET)) {
      String root = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(root + "/page/predict"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(png(0)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"digit\""), r.body());
      String scrape = metrics.scrape();
      assertTrue(
          scrape.contains(
              ":tensorflow:serving:request_count{model_name=\"mnist\"," + "status=\"OK\"} 1"),
          scrape);
      assertTrue(
          scrape.contains(":tensorflow:serving:batching_session:processed_batch_size_count 1"),
          scrape);
    }
  }

  /**
   * A request waits in version 1's batch (of 2, 10 minutes at most) while version 1 retires; the
   * test then fills the batch on a lease it took before, so the request is answered and version 1
   * unloads with a log that fails.
   */
  @Test
  void anUnloadThatFailsStillAnswersTheRequestAndFreesItsSlot() throws Exception {
    Path base = tmp.resolve("base");
    org.tfmnist.serving.ModelVersionsTest.copy(model, base.resolve("1"));
    PrintStream failingLog =
        new PrintStream(OutputStream.nullOutputStream()) {
          @Override
          public void println(String x) {
            if (x.contains("unloaded")) {
              throw new IllegalStateException("the log failed");
            }
          }
        };
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelVersionsTest.latest(
                base, Duration.ZERO, new BatchingOptions(true, 2, 600_000_000, 1), failingLog);
        PredictService predicts = new PredictService(models, metrics, 1, 0, QUIET);
        RestServer server = new RestServer(predicts, ServerOptions.defaults(), metrics, QUIET)) {
      String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/v1/models/mnist:predict";
      String body = "{\"instances\": [" + ServerHardeningTest.imageOf(test, 0) + "]}";
      ModelManager.Lease filler = models.lease("mnist", null); // version 1, for the batch's 2nd
      CompletableFuture<HttpResponse<String>> first =
          client.sendAsync(request(url, body), HttpResponse.BodyHandlers.ofString());
      Await.until("the request waiting in version 1's batch", () -> predicts.inFlight() == 1);
      org.tfmnist.serving.ModelVersionsTest.copy(model, base.resolve("2"));
      models.poll();
      models.poll(); // version 2 loads, version 1 retires with the request in flight
      assertEquals(2, models.latestLoaded());
      assertFalse(first.isDone(), "answered before its batch was full");
      filler
          .servable()
          .run(
              "serving_default",
              MnistSignatures.images(Arrays.copyOf(test.images(), 784), 1),
              MnistSignatures.OUTPUTS,
              ForkJoinPool.commonPool())
          .whenComplete((p, f) -> filler.close())
          .get(60, TimeUnit.SECONDS);
      HttpResponse<String> r = first.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("1", r.headers().firstValue("X-Model-Version").orElse(""));
      assertEquals(0, predicts.inFlight(), "the slot was not released");
      CompletableFuture<HttpResponse<String>> next =
          client.sendAsync(request(url, body), HttpResponse.BodyHandlers.ofString());
      Await.until("the next request in version 2's batch", () -> predicts.inFlight() == 1);
      try (ModelManager.Lease two = models.lease("mnist", null)) {
        two.servable()
            .run(
                "serving_default",
                MnistSignatures.images(Arrays.copyOf(test.images(), 784), 1),
                MnistSignatures.OUTPUTS,
                ForkJoinPool.commonPool())
            .get(60, TimeUnit.SECONDS);
      }
      assertEquals(200, next.get().statusCode(), next.get().body());
      assertEquals("2", next.get().headers().firstValue("X-Model-Version").orElse(""));
    }
  }

  @Test
  void aModelRefusingAValueAtRunTimeIsTfServings400InOneLine() throws Exception {
    Path failing = failsAboveOne(tmp.resolve("fails_above_one"));
    java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
    try (ModelManager models =
            ModelManager.forDirectory("mnist", failing, BatchingOptions.OFF, n -> {}, QUIET);
        RestServer server =
            new RestServer(
                models,
                ServerOptions.defaults(),
                new ServingMetrics(),
                new PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8))) {
      String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/v1/models/mnist:predict";
      String ok = "{\"instances\": [" + ServerHardeningTest.imageOf(test, 0) + "]}";
      assertEquals(200, post(url, ok).statusCode());
      String two = ok.replaceFirst("\\[0(\\.0)?,", "[2.0,"); // a pixel of 2: the assertion fails
      HttpResponse<String> r = post(url, two);
      // TensorFlow's INVALID_ARGUMENT (a failed assertion) is the client's: TF Serving answers
      // 400 with TensorFlow's message; its first line names no node, path or Java class
      assertEquals(400, r.statusCode(), r.body());
      assertEquals("{\"error\":\"assertion failed: [pixel above 1]\"}", r.body());
      assertEquals(200, post(url, ok).statusCode(), "the server goes on serving");
    }
  }

  /**
   * The softmax, with an assertion on its input (every value at most 1) before its outputs: it
   * loads and answers images, and fails at run time on a value of 2 as a broken model would.
   */
  static Path failsAboveOne(Path target) throws Exception {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      org.tfmnist.model.ModelGraph m = new org.tfmnist.model.SoftmaxRegression(0.5f).build(graph);
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
      org.tensorflow.op.core.AssertThat check =
          tf.assertThat(
              tf.math.lessEqual(tf.max(m.images(), tf.constant(new int[] {0, 1})), tf.constant(1f)),
              java.util.List.of(tf.constant("pixel above 1")));
      org.tensorflow.op.Ops after = tf.withControlDependencies(check);
      org.tfmnist.model.ModelGraph failing =
          new org.tfmnist.model.ModelGraph(
              m.name(),
              m.graph(),
              m.images(),
              m.labels(),
              m.keepProb(),
              m.logits(),
              after.identity(m.probabilities()),
              after.identity(m.classes()),
              m.loss(),
              m.accuracy(),
              m.trainOp(),
              m.globalStep(),
              m.trainableVariables(),
              m.network(),
              m.pixels(),
              m.pixelProbabilities(),
              m.pixelClasses());
      try (org.tensorflow.Session session = new org.tensorflow.Session(graph)) {
        session.initialize();
        org.tfmnist.export.SavedModelExporter.export(session, failing, target);
      }
    }
    return target;
  }

  static HttpResponse<String> post(String url, String body) throws Exception {
    return client.send(request(url, body), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest request(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Test image {@code i} as a PNG: a dark digit on white, as drawn on the page. */
  static byte[] png(int i) throws Exception {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int v = 255 - Math.round(test.images()[i * 784 + y * 28 + x] * 255);
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
