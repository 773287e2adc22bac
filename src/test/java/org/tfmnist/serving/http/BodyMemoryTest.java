package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;

/**
 * The memory of request bodies in flight is bounded across requests: with one large body held
 * half-sent, a second one gets 503 before it is read to the end, and the memory comes back when the
 * first client goes away.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyMemoryTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void train() throws Exception {
    ServingFaultsTest.test = MnistLoader.loadTest(TestData.mnistSmallDir());
    model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
  }

  @Test
  void slowLargeBodiesTogetherGet503BeforeTheyAreRead() throws Exception {
    byte[] zeros = zeroImage();
    try (ModelManager models =
            ModelManager.forDirectory(
                "mnist", model, BatchingOptions.OFF, n -> {}, ServingFaultsTest.QUIET);
        RestServer server =
            new RestServer(
                models,
                ServerOptions.defaults().withBodyMemory(4 << 20),
                new ServingMetrics(),
                ServingFaultsTest.QUIET)) {
      int port = server.start("127.0.0.1", 0);
      String root = "http://127.0.0.1:" + port;
      try (Socket first = new Socket("127.0.0.1", port)) {
        OutputStream a = open(first, 2000, zeros.length);
        for (int i = 0; i < 600; i++) { // 600 images parsed: 3.2 MB of floats held
          a.write(zeros);
          a.write(',');
        }
        a.flush();
        Thread.sleep(300);
        try (Socket second = new Socket("127.0.0.1", port)) {
          second.setSoTimeout(10_000);
          OutputStream b = open(second, 2000, zeros.length);
          InputStream in = second.getInputStream();
          int sent = 0;
          while (sent < 2000 && in.available() == 0) {
            for (int i = 0; i < 16; i++, sent++) {
              b.write(zeros);
              b.write(',');
            }
            b.flush();
            Thread.sleep(10);
          }
          String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
          assertEquals("HTTP/1.1 503", answer, "after " + sent + " of 2000 images");
          assertTrue(sent < 2000, "answered only once the whole body was sent");
          System.out.printf("second large body: 503 after %d of 2000 images%n", sent);
        }
      }
      // the first client went away: its memory is back
      String body = "{\"instances\": [" + new String(zeros, StandardCharsets.US_ASCII) + "]}";
      int status = 0;
      for (int i = 0; i < 40 && status != 200; i++) {
        status = ServingFaultsTest.post(root + "/v1/models/mnist:predict", body).statusCode();
        Thread.sleep(status == 200 ? 0 : 50);
      }
      assertEquals(200, status);
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
