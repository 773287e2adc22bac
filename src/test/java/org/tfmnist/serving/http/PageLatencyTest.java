package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MnistSignatures;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.testdata.ForeignModels;

/**
 * A page request refused at once (the server full) is recorded with its real latency, counted from
 * its first byte: the client here takes {@link #HEADER_PAUSE_MS} ms to send its headers, so the
 * latency recorded is at least that. It used to be about zero: the start was taken at the refusal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("unit")
class PageLatencyTest {
  /** How long the refused client pauses in the middle of its headers: a slow client, not a wait. */
  static final long HEADER_PAUSE_MS = 300;

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path tmp;

  @Test
  void aPageRequestRefusedAtOnceCountsFromItsFirstByte() throws Exception {
    Path model = ForeignModels.tutorialContract(tmp.resolve("model"));
    BatchingOptions pairs = new BatchingOptions(true, 2, 600_000_000, 1);
    ServingMetrics metrics = new ServingMetrics();
    HttpClient client = HttpClient.newHttpClient();
    try (ModelManager models = ModelManager.forDirectory("mnist", model, pairs, n -> {}, QUIET);
        PredictService predicts = new PredictService(models, metrics, 1, 0, QUIET);
        RestServer server =
            new RestServer(
                predicts,
                ServerOptions.defaults()
                    .withReadTimeout(Duration.ofMinutes(10))
                    .withRequestTimeout(Duration.ofMinutes(10)),
                metrics,
                QUIET)) {
      int port = server.start("127.0.0.1", 0);
      // one worker, no queue: a request waiting for its batch of two holds the only slot
      String body = "{\"instances\": [" + "[0" + ",0".repeat(783) + "]]}";
      CompletableFuture<HttpResponse<String>> first =
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .timeout(Await.SAFETY)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Await.until("the first request holding the slot", () -> predicts.inFlight() == 1);

      String answer;
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout((int) Await.SAFETY.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(
            "POST /page/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(HEADER_PAUSE_MS); // the slow client: the latency counts this
        out.write(
            "Content-Length: 10\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(answer.startsWith("HTTP/1.1 503"), answer);

      Matcher sum =
          Pattern.compile(
                  "(?m)^:tensorflow:serving:request_latency_sum\\{[^}]*API=\"page\"[^}]*\\} (\\d+)$")
              .matcher(metrics.scrape());
      assertTrue(sum.find(), metrics.scrape());
      long micros = Long.parseLong(sum.group(1));
      assertTrue(
          micros >= HEADER_PAUSE_MS * 1000,
          "the refused page request was recorded as " + micros + " us");

      // fill the first request's batch, so it ends and the server stops at once
      try (ModelManager.Lease lease = models.lease("mnist", null)) {
        lease
            .servable()
            .run(
                "serving_default",
                MnistSignatures.images(new float[784], 1),
                MnistSignatures.OUTPUTS,
                ForkJoinPool.commonPool())
            .get(60, TimeUnit.SECONDS);
      }
      assertEquals(200, first.get().statusCode(), first.get().body());
    }
  }
}
