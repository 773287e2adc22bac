package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.testdata.ForeignModels;

/**
 * A request is timed from its first byte, not from its routing: the client here takes {@link
 * #HEADER_PAUSE_MS} ms to send its headers, so the latency recorded is at least that. The start
 * used to be taken late (at the page's refusal, about zero). TF Serving records the latency of
 * answered requests only, so this one is answered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("unit")
class RequestLatencyTest {
  /** How long the client pauses in the middle of its headers: a slow client, not a wait. */
  static final long HEADER_PAUSE_MS = 300;

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path tmp;

  @Test
  void aRequestCountsFromItsFirstByte() throws Exception {
    Path model = ForeignModels.tutorialContract(tmp.resolve("model"));
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        PredictService predicts = new PredictService(models, metrics, 1, 0, QUIET);
        RestServer server =
            new RestServer(
                predicts,
                ServerOptions.defaults().withReadTimeout(Duration.ofMinutes(10)),
                metrics,
                QUIET)) {
      int port = server.start("127.0.0.1", 0);
      byte[] body =
          ("{\"instances\": [" + "[0" + ",0".repeat(783) + "]]}").getBytes(StandardCharsets.UTF_8);
      String answer;
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout((int) Await.SAFETY.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(
            "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(HEADER_PAUSE_MS); // the slow client: the latency counts this
        out.write(
            ("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);

      Matcher sum =
          Pattern.compile(
                  "(?m)^:tensorflow:serving:request_latency_sum\\{[^}]*model_name=\"mnist\"[^}]*\\} (\\d+)$")
              .matcher(metrics.scrape());
      assertTrue(sum.find(), metrics.scrape());
      long micros = Long.parseLong(sum.group(1));
      assertTrue(
          micros >= HEADER_PAUSE_MS * 1000, "the slow request was recorded as " + micros + " us");
      assertEquals(0, predicts.inFlight());
    }
  }
}
