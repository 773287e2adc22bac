package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TrainedModels;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Deadlines and batching over both protocols, on one server with TF Serving's batching: batches of
 * 16 images that wait up to 10 minutes to fill. A lone request therefore never runs in the test's
 * time: only its deadline (or its client's cancel) can end it, with DEADLINE_EXCEEDED (CANCELLED),
 * and give its slot back; 16 concurrent gRPC requests fill one batch, whatever the machine's speed.
 */
@Tag("data")
class DeadlineAndBatchingTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final int BATCH = 16;
  @TempDir static Path tmp;
  static ServingMetrics metrics = new ServingMetrics();
  static Predictor predictor;
  static ModelManager models;
  static PredictService predicts;
  static RestServer rest;
  static GrpcServer grpc;
  static ManagedChannel channel;
  static String restUrl;

  @BeforeAll
  static void start() throws Exception {
    GrpcFixtures.test();
    Path model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    predictor = Predictor.load(model);
    BatchingOptions batching = new BatchingOptions(true, BATCH, 600_000_000, 1);
    models = ModelManager.forDirectory("mnist", model, batching, metrics, QUIET);
    predicts = new PredictService(models, metrics, 2, 30);
    rest =
        new RestServer(
            predicts,
            ServerOptions.defaults().withRequestTimeout(Duration.ofMillis(300)),
            metrics,
            QUIET);
    restUrl = "http://127.0.0.1:" + rest.start("127.0.0.1", 0) + "/v1/models/mnist:predict";
    grpc = new GrpcServer(predicts, metrics, 10_000, Duration.ofSeconds(5), QUIET);
    channel = GrpcFixtures.channel(grpc.start("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.stop();
    rest.stop();
    predicts.close();
    models.close();
    predictor.close();
  }

  @Test
  void aGrpcDeadlineEndsTheRequestAndFreesItsSlot() throws Exception {
    long before = count("DEADLINE_EXCEEDED") + count("CANCELLED");
    GrpcFixtures.assertStatus(
        Status.Code.DEADLINE_EXCEEDED,
        "",
        () ->
            PredictionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .predict(GrpcFixtures.request(GrpcFixtures.images(0, 1, false))));
    // the server's side: the request ended at its deadline (its batch never fills) and its slot is
    // free; it is counted once, just after: as DEADLINE_EXCEEDED by the server's own deadline, or
    // as CANCELLED when the client's cancel at that same instant reaches the server first
    awaitIdle();
    Await.until(
        () -> "the call counted once:\n" + metrics.scrape(),
        () -> count("DEADLINE_EXCEEDED") + count("CANCELLED") == before + 1);
  }

  @Test
  void aClientThatCancelsFreesItsSlot() throws Exception {
    long before = count("CANCELLED");
    var call =
        PredictionServiceGrpc.newFutureStub(channel)
            .predict(GrpcFixtures.request(GrpcFixtures.images(0, 1, false)));
    Await.until("the call waiting in the batch queue", () -> predicts.inFlight() == 1);
    call.cancel(true);
    awaitIdle();
    awaitCount("CANCELLED", before + 1);
  }

  @Test
  void theRestTimeoutIsARequestDeadline() throws Exception {
    long before = count("DEADLINE_EXCEEDED");
    String body = "{\"instances\": [" + Collections.nCopies(784, "0") + "]}";
    long start = System.nanoTime();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(restUrl))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Await.SAFETY)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(504, r.statusCode(), r.body());
    assertEquals(
        "Deadline Exceeded",
        JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
    assertTrue(ms >= 250, "answered after " + ms + " ms, before its 300 ms deadline");
    awaitIdle();
    assertEquals(before + 1, count("DEADLINE_EXCEEDED"), metrics.scrape());
  }

  @Test
  void concurrentGrpcRequestsAreBatched() throws Exception {
    long[] before = batches();
    PredictionServiceGrpc.PredictionServiceFutureStub stub =
        PredictionServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(Await.SAFETY.toSeconds(), TimeUnit.SECONDS);
    List<com.google.common.util.concurrent.ListenableFuture<PredictResponse>> calls =
        new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      calls.add(stub.predict(GrpcFixtures.request(GrpcFixtures.images(i, 1, true))));
    }
    Prediction[] expected = predictor.predict(GrpcFixtures.test().images(), BATCH);
    for (int i = 0; i < BATCH; i++) {
      PredictResponse r = calls.get(i).get(Await.SAFETY.toSeconds(), TimeUnit.SECONDS);
      assertEquals(
          expected[i].digit(), r.getOutputsOrThrow("classes").getInt64Val(0), "image " + i);
    }
    long[] after = batches();
    // 16 requests of one image each: one session run of 16 (batches wait 10 minutes to fill)
    assertEquals(1, after[0] - before[0], metrics.scrape());
    assertEquals(BATCH, after[1] - before[1], metrics.scrape());
  }

  /** Returns once {@code n} requests in all are counted with {@code status}. */
  private static void awaitCount(String status, long n) throws InterruptedException {
    Await.until(
        () -> n + " requests counted " + status + ":\n" + metrics.scrape(),
        () -> count(status) >= n);
  }

  /** Returns once no request holds a slot: nothing but a deadline or a cancel can free one. */
  private static void awaitIdle() throws InterruptedException {
    Await.until(
        () -> "every slot free (" + predicts.inFlight() + " held)", () -> predicts.inFlight() == 0);
  }

  /** Requests counted with {@code status} in the metrics. */
  private static long count(String status) {
    long n = 0;
    Matcher m =
        Pattern.compile("request_count\\{[^}]*status=\"" + status + "\"\\} (\\d+)")
            .matcher(metrics.scrape());
    while (m.find()) {
      n += Long.parseLong(m.group(1));
    }
    return n;
  }

  /** The batch histogram's count and sum: batches run and images in them. */
  private static long[] batches() {
    String s = metrics.scrape();
    return new long[] {
      metric(s, "processed_batch_size_count"), metric(s, "processed_batch_size_sum")
    };
  }

  private static long metric(String scrape, String name) {
    Matcher m = Pattern.compile(name + " (\\d+)").matcher(scrape);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
