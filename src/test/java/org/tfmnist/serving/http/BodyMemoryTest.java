package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;

/**
 * The memory of request bodies in flight is bounded across requests: of two large bodies sent
 * slowly side by side, each within its own limits, the one that would pass the bound gets 429
 * before it is read to the end, the other goes on, and the memory comes back when the clients go
 * away.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("data")
class BodyMemoryTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void train() throws Exception {
    ServingFaultsTest.test = MnistLoader.loadTest(TestData.mnistSmallDir());
    model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
  }

  @Test
  void slowLargeBodiesTogetherGet429BeforeTheyAreRead() throws Exception {
    byte[] zeros = zeroImage();
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory(
                "mnist", model, BatchingOptions.OFF, n -> {}, ServingFaultsTest.QUIET);
        RestServer server =
            new RestServer(
                models,
                ServerOptions.defaults().withBodyMemory(4 << 20),
                metrics,
                ServingFaultsTest.QUIET)) {
      int port = server.start("127.0.0.1", 0);
      String root = "http://127.0.0.1:" + port;
      long held = 1000L * zeros.length; // the text of 1000 images: what each body holds at first
      try (Socket first = new Socket("127.0.0.1", port);
          Socket second = new Socket("127.0.0.1", port)) {
        Socket[] clients = {first, second};
        for (Socket c : clients) {
          c.setSoTimeout((int) Await.SAFETY.toMillis());
          open(c, 3000, zeros.length);
        }
        // of 3000 images announced each: a body holds the bytes it has received. 1000 images of
        // text each (2 x 1.6 MB) fit the 4 MiB bound; the first body's next 1000 pass it and get
        // 429; its memory returned, the other body then takes its next 1000 alone. One body at a
        // time crosses, so which one is refused does not depend on the server's threads.
        write(first, zeros, 1000);
        write(second, zeros, 1000);
        Await.until(
            () -> "both bodies read to 1000 images (" + server.bodyMemoryInUse() + " bytes held)",
            () -> server.bodyMemoryInUse() >= 2 * held);
        write(first, zeros, 1000); // past the bound: refused, maybe before all of it is sent
        Await.until("the first body answered", () -> answered(first));
        assertTrue(!answered(second), "the second body was answered too");
        write(second, zeros, 1000);
        Await.until(
            () -> "the second body read 2000 images alone (" + server.bodyMemoryInUse() + ")",
            () -> server.bodyMemoryInUse() >= 2 * held);
        assertTrue(!answered(second), "the second body was answered before its end");
        String status = "";
        try {
          status = new String(first.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        } catch (IOException closed) {
          // answered and closed: the metrics below still tell what it was
        }
        assertTrue(status.isEmpty() || status.equals("HTTP/1.1 429"), status);
      }
      String scrape = metrics.scrape();
      assertTrue(
          scrape.contains(
              ":tensorflow:serving:request_count{model_name=\"mnist\","
                  + "status=\"RESOURCE_EXHAUSTED\"} 1\n"),
          scrape);
      // both clients went away: their memory is back
      Await.until(
          () -> "the bodies' memory returned (" + server.bodyMemoryInUse() + " bytes held)",
          () -> server.bodyMemoryInUse() == 0);
      String body = "{\"instances\": [" + new String(zeros, StandardCharsets.US_ASCII) + "]}";
      assertEquals(
          200, ServingFaultsTest.post(root + "/v1/models/mnist:predict", body).statusCode());
    }
  }

  private static void write(Socket s, byte[] image, int images) {
    try {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < images; i++) {
        out.write(image);
        out.write(',');
      }
      out.flush();
    } catch (IOException closed) {
      // refused and closed by the server: answered() finds it
    }
  }

  /** Whether the server answered {@code c} or closed it. */
  private static boolean answered(Socket c) {
    try {
      return c.getInputStream().available() > 0;
    } catch (IOException closed) {
      return true;
    }
  }

  private static OutputStream open(Socket s, int images, int imageBytes) throws Exception {
    long length = "{\"instances\": [".length() + (long) images * (imageBytes + 1) - 1 + 2;
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + length
                + "\r\n\r\n{\"instances\": [")
            .getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  private static byte[] zeroImage() {
    StringBuilder sb = new StringBuilder("[0");
    for (int i = 1; i < 784; i++) {
      sb.append(",0");
    }
    return sb.append(']').toString().getBytes(StandardCharsets.US_ASCII);
  }
}
