package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.Await;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerHardeningTest;
import org.tfmnist.serving.http.ServerOptions;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/** Versions under a base path, hot reload under load, batching, metrics. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("data")
public class ModelVersionsTest {
  public static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final int BATCH = 8;
  static final HttpClient client = HttpClient.newHttpClient();
  @TempDir static Path tmp;
  static Path exported;
  static Dataset test;

  @BeforeAll
  static void exportTwoVersions() throws Exception {
    DataSplits splits = MnistLoader.load(TestData.mnistSmallDir());
    test = splits.test();
    Path base = tmp.resolve("exports");
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        new Trainer(model, session, List.of())
            .fit(splits, new TrainingPlan(300, 100, 1f, 42, 100_000, 1000), 0, 0);
        assertEquals(base.resolve("1"), SavedModelExporter.exportNextVersion(session, model, base));
        assertEquals(base.resolve("2"), SavedModelExporter.exportNextVersion(session, model, base));
      }
    }
    try (Stream<Path> entries = Files.list(base)) {
      assertEquals(
          List.of("1", "2"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary left");
    }
    exported = base.resolve("1");
  }

  /**
   * Eight clients predict without pause while version 2 is copied in and loaded; the polls are the
   * test's own, so the switch happens at a known point of the load, not at a sleep's end.
   */
  @Test
  void aNewVersionIsServedUnderLoadWithNoFailedRequest() throws Exception {
    Path base = tmp.resolve("base");
    copy(exported, base.resolve("1"));
    Files.createDirectories(base.resolve(".3.partial-x")); // an export in progress: ignored
    try (ModelManager models = latest(base, Duration.ZERO, BatchingOptions.OFF, QUIET);
        RestServer server =
            new RestServer(models, ServerOptions.defaults(), new ServingMetrics(), QUIET)) {
      String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/v1/models/mnist";
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger[] answeredBy = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      HttpRequest predict =
          HttpRequest.newBuilder(URI.create(url + ":predict"))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"instances\": [" + ServerHardeningTest.imageOf(test, 0) + "]}"))
              .build();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  while (!stop.get()) {
                    try {
                      HttpResponse<String> r =
                          client.send(predict, HttpResponse.BodyHandlers.ofString());
                      String version = r.headers().firstValue("X-Model-Version").orElse("");
                      if (r.statusCode() != 200
                          || !r.body().contains("\"predictions\"")
                          || !version.matches("[12]")) {
                        failures.add(r.statusCode() + " " + version + " " + r.body());
                      } else {
                        answeredBy[Integer.parseInt(version)].incrementAndGet();
                      }
                    } catch (IOException | InterruptedException e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
      Await.until(
          "16 requests answered by version 1",
          () -> answeredBy[1].get() >= 16 || !failures.isEmpty());
      copy(exported, base.resolve("2"));
      models.poll(); // first sight: a version loads once it looked the same on two polls
      assertEquals(1, models.latestLoaded());
      models.poll(); // loads version 2, then retires version 1 while the clients' requests run
      assertEquals(2, models.latestLoaded());
      HttpResponse<String> next = client.send(predict, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, next.statusCode(), next.body());
      assertEquals(
          "2",
          next.headers().firstValue("X-Model-Version").orElse(""),
          "the next request, once version 2 is loaded");
      Await.until(
          "16 requests answered by version 2",
          () -> answeredBy[2].get() >= 16 || !failures.isEmpty());
      stop.set(true);
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertTrue(failures.isEmpty(), failures.size() + " failed requests, e.g. " + failures.peek());
      System.out.printf(
          "%d requests answered by version 1, %d by version 2, none failed%n",
          answeredBy[1].get(), answeredBy[2].get());
      // version 1 unloads on the manager's unload thread once its last request is done
      Await.until("version 1 unloaded", () -> state(models, 1) == VersionStatus.State.END);
      JsonArray statuses =
          JsonParser.parseString(
                  client
                      .send(
                          HttpRequest.newBuilder(URI.create(url)).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .getAsJsonObject()
              .getAsJsonArray("model_version_status");
      assertEquals("2", statuses.get(0).getAsJsonObject().get("version").getAsString());
      assertEquals("AVAILABLE", statuses.get(0).getAsJsonObject().get("state").getAsString());
      assertEquals("1", statuses.get(1).getAsJsonObject().get("version").getAsString());
      assertEquals("END", statuses.get(1).getAsJsonObject().get("state").getAsString());
      assertEquals(
          404,
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/versions/1:predict"))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"instances\": [" + ServerHardeningTest.imageOf(test, 0) + "]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  /** The manager's own poll thread finds a new version (how soon depends on the machine). */
  @Test
  void thePollThreadLoadsANewVersion() throws Exception {
    Path base = tmp.resolve("polled");
    copy(exported, base.resolve("1"));
    try (ModelManager models = latest(base, Duration.ofMillis(100), BatchingOptions.OFF, QUIET)) {
      assertEquals(1, models.latestLoaded());
      copy(exported, base.resolve("2"));
      Await.until("version 2 loaded by the poll thread", () -> models.latestLoaded() == 2);
      assertEquals(VersionStatus.State.AVAILABLE, state(models, 2));
    }
  }

  /**
   * The manager of {@code serve --model_base_path base}: the latest version under {@code base},
   * standard sessions, batch sizes not recorded.
   */
  public static ModelManager latest(
      Path base, Duration pollWait, BatchingOptions batching, PrintStream log) throws Exception {
    return ModelManager.forBasePath(
        "mnist", base, pollWait, LoadOptions.defaults(), batching, n -> {}, log);
  }

  /** The state of version {@code version} of model 'mnist'. */
  public static VersionStatus.State state(ModelManager models, long version) {
    try {
      return models.status("mnist", version).get(0).state();
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aHalfWrittenVersionIsNeverLoaded() throws Exception {
    Path base = tmp.resolve("half");
    copy(exported, base.resolve("1"));
    try (ModelManager models = latest(base, Duration.ZERO, BatchingOptions.OFF, QUIET)) {
      Files.createDirectories(base.resolve("2"));
      Files.copy(
          exported.resolve("saved_model.pb"),
          base.resolve("2/saved_model.pb")); // variables/ not there yet
      models.poll(); // first sight: still changing as far as the manager knows
      assertEquals(1, models.latestLoaded());
      copy(exported.resolve("variables"), base.resolve("2/variables"));
      models.poll(); // changed since the last poll
      assertEquals(1, models.latestLoaded());
      models.poll(); // unchanged over one poll: complete
      assertEquals(2, models.latestLoaded());
    }
  }

  /**
   * 32 single-image requests in batches of 8 that wait (10 minutes) until they are full: 4 session
   * runs, whatever the machine's speed.
   */
  @Test
  void batchedPredictionsEqualUnbatchedOnesAndShowInTheMetrics() throws Exception {
    int n = 32;
    ServingMetrics metrics = new ServingMetrics();
    try (Predictor predictor = Predictor.load(exported);
        ModelManager models =
            ModelManager.forDirectory(
                "mnist",
                exported,
                new BatchingOptions(true, BATCH, 600_000_000, 1), // full batches only
                metrics,
                QUIET);
        RestServer server =
            new RestServer(
                models,
                ServerOptions.defaults()
                    .withThreads(4, 64)
                    .withMonitoring(MonitoringOptions.PROMETHEUS),
                metrics,
                QUIET)) {
      String root = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create(root + "/v1/models/mnist:predict"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"instances\": [" + ServerHardeningTest.imageOf(test, i) + "]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < n; i++) {
        Prediction alone =
            predictor
                .predict(java.util.Arrays.copyOfRange(test.images(), i * 784, (i + 1) * 784), 1)[0];
        HttpResponse<String> r = calls.get(i).get();
        assertEquals(200, r.statusCode(), r.body());
        JsonObject p =
            JsonParser.parseString(r.body())
                .getAsJsonObject()
                .getAsJsonArray("predictions")
                .get(0)
                .getAsJsonObject();
        assertEquals(alone.digit(), p.get("classes").getAsInt());
        JsonArray probabilities = p.getAsJsonArray("probabilities");
        for (int c = 0; c < 10; c++) {
          assertEquals(
              alone.probabilities()[c],
              probabilities.get(c).getAsFloat(),
              1e-6f,
              "image " + i + " class " + c);
        }
      }
      String scrape =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(root + "/monitoring/prometheus/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(
          scrape.contains(
              ":tensorflow:serving:request_count{model_name=\"mnist\",status=\"OK\"} " + n),
          scrape);
      assertTrue(
          scrape.matches(
              "(?s).*:tensorflow:serving:request_latency_count\\{model_name=\"mnist\","
                  + "API=\"Predict\",entrypoint=\"[A-Z]*\"\\} "
                  + n
                  + "\n.*"),
          scrape);
      long batches =
          Long.parseLong(
              scrape.replaceAll(
                  "(?s).*:tensorflow:serving:batching_session:processed_batch_size_count (\\d+).*",
                  "$1"));
      long images =
          Long.parseLong(
              scrape.replaceAll(
                  "(?s).*:tensorflow:serving:batching_session:processed_batch_size_sum (\\d+).*",
                  "$1"));
      System.out.printf("%d single-image requests ran in %d batches%n", n, batches);
      assertEquals(n, images);
      assertEquals(n / BATCH, batches, "batches of " + BATCH + " requests, each run once full");
      assertFalse(scrape.contains("NaN"));
    }
  }

  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(
          p -> {
            try {
              Files.copy(p, to.resolve(from.relativize(p).toString()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
