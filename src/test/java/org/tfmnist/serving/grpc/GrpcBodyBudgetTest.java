package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TrainedModels;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * One budget bounds the requests in flight of both protocols. REST and gRPC serve a softmax model
 * with batches of up to 1001 images that wait a minute to fill, under a budget that fits two gRPC
 * messages of 500 images: of six such Predicts sent at once, two are admitted and wait for their
 * batch, four get RESOURCE_EXHAUSTED and take no slot, and a REST body then gets 429 from the same
 * budget. A one-image Predict fills the batch; the three are answered right, the budget returns to
 * zero, and two large Predicts are admitted again.
 */
@Tag("data")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GrpcBodyBudgetTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir static Path tmp;

  @Test
  void concurrentLargePredictsPastTheBudgetGetResourceExhausted() throws Exception {
    GrpcFixtures.test();
    Path model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
    PredictRequest large = GrpcFixtures.request(GrpcFixtures.images(0, 500, true));
    PredictRequest small = GrpcFixtures.request(GrpcFixtures.images(500, 1, false));
    BodyBudget budget = new BodyBudget(large.getSerializedSize() * 5L / 2);
    ServingMetrics metrics = new ServingMetrics();
    BatchingOptions batching = new BatchingOptions(true, 1001, 60_000_000, 1);
    try (ModelManager models = ModelManager.forDirectory("mnist", model, batching, metrics, QUIET);
        PredictService predicts = new PredictService(models, metrics, 2, 30, QUIET);
        RestServer rest =
            new RestServer(predicts, budget, ServerOptions.defaults(), metrics, QUIET);
        GrpcServer grpc =
            new GrpcServer(predicts, budget, metrics, 10_000, Duration.ofSeconds(5), QUIET)) {
      String restUrl = "http://127.0.0.1:" + rest.start("127.0.0.1", 0) + "/v1/models/mnist";
      ManagedChannel channel = GrpcFixtures.channel(grpc.start("127.0.0.1", 0));
      try {
        List<ListenableFuture<PredictResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(PredictionServiceGrpc.newFutureStub(channel).predict(large));
        }
        await("four calls answered", () -> calls.stream().filter(c -> c.isDone()).count() >= 4);
        Thread.sleep(200); // time for more answers, if any came: none must
        assertEquals(4, calls.stream().filter(c -> c.isDone()).count(), "calls answered");
        List<ListenableFuture<PredictResponse>> admitted = new ArrayList<>();
        for (ListenableFuture<PredictResponse> call : calls) {
          if (!call.isDone()) {
            admitted.add(call);
            continue;
          }
          StatusRuntimeException e = refusal(call);
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
          assertTrue(
              e.getStatus().getDescription().startsWith("the server is busy: request bodies"),
              e.getStatus().getDescription());
        }
        await("the admitted calls hold a slot, the refused none", () -> predicts.inFlight() == 2);
        assertEquals(large.getSerializedSize() * 2L, budget.used());
        HttpResponse<String> r = restPredict(restUrl + ":predict", 300);
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(r.body().contains("request bodies in flight hold"), r.body());

        ListenableFuture<PredictResponse> fill =
            PredictionServiceGrpc.newFutureStub(channel).predict(small);
        assertRight(admitted.get(0).get(30, TimeUnit.SECONDS), 0, 500);
        assertRight(admitted.get(1).get(30, TimeUnit.SECONDS), 0, 500);
        assertEquals(
            1, fill.get(30, TimeUnit.SECONDS).getOutputsOrThrow("classes").getInt64ValCount());
        await("the budget is back to 0", () -> budget.used() == 0);
        await("no slot is held", () -> predicts.inFlight() == 0);

        // the server still answers, and admits two large messages again
        List<ListenableFuture<PredictResponse>> again = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          again.add(PredictionServiceGrpc.newFutureStub(channel).predict(large));
        }
        again.add(PredictionServiceGrpc.newFutureStub(channel).predict(small));
        assertRight(again.get(0).get(30, TimeUnit.SECONDS), 0, 500);
        assertRight(again.get(1).get(30, TimeUnit.SECONDS), 0, 500);
        again.get(2).get(30, TimeUnit.SECONDS);
        await("the budget is back to 0", () -> budget.used() == 0);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      String scrape = metrics.scrape();
      assertTrue(
          scrape.contains(
              ":tensorflow:serving:request_count{model_name=\"\","
                  + "status=\"RESOURCE_EXHAUSTED\"} 4\n"),
          scrape);
    }
  }

  /** At least 85% of the {@code n} answers from test image {@code from} on are right. */
  static void assertRight(PredictResponse response, int from, int n) throws Exception {
    var classes = response.getOutputsOrThrow("classes");
    assertEquals(n, classes.getInt64ValCount());
    int right = 0;
    for (int i = 0; i < n; i++) {
      right += classes.getInt64Val(i) == GrpcFixtures.test().labels()[from + i] ? 1 : 0;
    }
    assertTrue(right >= 0.85 * n, right + " of " + n + " right");
  }

  /** A REST predict of {@code images} all-zero images. */
  static HttpResponse<String> restPredict(String url, int images) throws Exception {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < images; i++) {
      body.append(i == 0 ? "[0" : ",[0");
      body.append(",0".repeat(783)).append(']');
    }
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static StatusRuntimeException refusal(ListenableFuture<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    }
    throw new AssertionError("the call was answered, not refused");
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
      Thread.sleep(5);
    }
  }
}
