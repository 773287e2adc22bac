package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.cli.Main;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MnistSignatures;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * The server under abuse: stalled connections, huge bodies, a full queue, SIGTERM with requests in
 * flight.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("data")
public class ServerHardeningTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir static Path tmp;
  static Path model;
  static Dataset test;

  @BeforeAll
  static void train() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
  }

  /**
   * 200 connections stalled mid-request hold no worker and no predict slot: with a read timeout far
   * past the test's, a server that gave each a thread or a slot would never answer the normal
   * requests that follow (2 workers, 8 queued).
   */
  @Test
  void twoHundredStalledConnectionsDoNotDelayANormalRequest() throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        PredictService predicts = new PredictService(models, metrics, 2, 8, QUIET);
        RestServer server =
            new RestServer(
                predicts,
                ServerOptions.defaults().withThreads(2, 8).withReadTimeout(Duration.ofMinutes(10)),
                metrics,
                QUIET)) {
      int port = server.start("127.0.0.1", 0);
      List<Socket> stalled = new ArrayList<>();
      String body = "{\"instances\": [" + image(0) + "]}";
      try {
        for (int i = 0; i < 200; i++) {
          Socket s = new Socket("127.0.0.1", port);
          stalled.add(s);
          String half =
              i % 2 == 0
                  ? "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le" // half the headers
                  : "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body.substring(0, body.length() / 2); // headers and half the body
          s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
        Await.until(
            () -> "200 stalled connections taken in (" + server.openConnections() + ")",
            () -> server.openConnections() >= 200);
        assertEquals(0, predicts.inFlight(), "a stalled request holds a predict slot");
        double ms = medianMillis(port, body);
        System.out.printf("normal request beside 200 stalled connections: %.0f ms%n", ms);
        assertEquals(0, predicts.inFlight(), "the normal requests gave their slots back");
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
      }
    }
  }

  /**
   * The heap is measured while the server holds 2,048 of 2,600 images: the body stops right after
   * the {@code [} of image 2,048, and the server has parsed up to there once its buffer has grown
   * for that image (charged to the body budget).
   */
  @Test
  void aBodyOfMillionsOfNumbersIsParsedInBoundedMemory() throws Exception {
    int images = 2600; // 2,038,400 numbers, about 12 MB of JSON
    int measured = 2048; // the image whose first byte ends what is sent before the measurement
    long numbers = (long) images * 784;
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        RestServer server =
            new RestServer(models, ServerOptions.defaults(), new ServingMetrics(), QUIET);
        Socket socket = new Socket("127.0.0.1", server.start("127.0.0.1", 0))) {
      byte[] one = image(1).getBytes(StandardCharsets.US_ASCII);
      long length =
          "{\"instances\": [".length() + (long) images * one.length + (images - 1) + "]}".length();
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                  + length
                  + "\r\nConnection: close\r\n\r\n{\"instances\": [")
              .getBytes(StandardCharsets.US_ASCII));
      long before = heapAfterGc();
      for (int i = 0; i < images; i++) {
        if (i == measured) {
          out.write(one, 0, 1); // '[': the parser makes room for this image once it reads it
          out.flush();
          long room = 4L * 784 * (measured + 1);
          Await.until(
              () -> "the server parsed the body so far (" + server.bodyMemoryInUse() + " bytes)",
              () -> server.bodyMemoryInUse() >= room);
          long grown = heapAfterGc() - before;
          long bound =
              8 * (long) (i + 1) * 784 + (24L << 20); // float buffer (x2 for its growth) + 24 MiB
          System.out.printf(
              "heap grew by %.1f MiB with %,d numbers received (bound %.1f MiB; the body so far is %.1f MB)%n",
              grown / 1048576.0, (long) i * 784, bound / 1048576.0, i * (one.length + 1) / 1e6);
          assertTrue(grown < bound, "heap grew by " + grown + " bytes, bound " + bound);
          out.write(one, 1, one.length - 1);
        } else {
          out.write(one);
        }
        out.write(i == images - 1 ? ']' : ',');
      }
      out.write('}');
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          response.startsWith("HTTP/1.1 200"),
          response.substring(0, Math.min(300, response.length())));
      String json = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertEquals(
          images,
          JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("predictions").size());
      assertTrue(numbers > 2_000_000);
    }
  }

  /**
   * One worker, no queue: a first request waits for its batch (of 2 images, 10 minutes at most)
   * holding the only slot, and a second gets 503 at once: before the server reads its body (none is
   * sent until the answer), while nothing can free the slot. The test then fills the batch itself,
   * and the first is answered.
   */
  @Test
  void aFullServerAnswers503AtOnce() throws Exception {
    BatchingOptions pairs = new BatchingOptions(true, 2, 600_000_000, 1);
    ServingMetrics metrics = new ServingMetrics();
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
      String body = "{\"instances\": [" + image(0) + "]}";
      CompletableFuture<HttpResponse<String>> first =
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .timeout(Await.SAFETY)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Await.until("the first request holding the slot", () -> predicts.inFlight() == 1);
      String second;
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout((int) Await.SAFETY.toMillis());
        s.getOutputStream()
            .write(
                ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                        + body.length()
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        second = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(second.startsWith("HTTP/1.1 503"), second);
      JsonObject error =
          JsonParser.parseString(second.substring(second.indexOf("\r\n\r\n") + 4))
              .getAsJsonObject();
      assertTrue(error.get("error").getAsString().startsWith("the server is busy"), second);
      assertFalse(first.isDone(), "the first request ended before its batch was full");
      try (ModelManager.Lease lease = models.lease("mnist", null)) {
        float[] pixels = Arrays.copyOf(test.images(), 784);
        lease
            .servable()
            .run(
                "serving_default",
                MnistSignatures.images(pixels, 1),
                MnistSignatures.OUTPUTS,
                ForkJoinPool.commonPool())
            .get(60, TimeUnit.SECONDS);
      }
      assertEquals(200, first.get().statusCode(), first.get().body());
      assertEquals(0, predicts.inFlight(), "the first request gave its slot back");
    }
  }

  /**
   * SIGTERM while three requests are half-way through their bodies: each was taken in (the server
   * asked for its body: {@code 100 Continue}), the server stops listening, and each still gets its
   * answer once the rest of its body arrives; then the process exits 0.
   */
  @Test
  void sigtermAnswersTheRequestsInFlightAndExits0() throws Exception {
    Process serve =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--model",
                model.toString(),
                "--rest_api_port",
                "0",
                "--port",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      ChildOutput lines = new ChildOutput(serve);
      Matcher page =
          Pattern.compile("page: +http://127\\.0\\.0\\.1:(\\d+)/")
              .matcher(lines.await(l -> l.startsWith("page:")));
      assertTrue(page.find(), lines.text());
      int port = Integer.parseInt(page.group(1));
      String body = "{\"instances\": [" + image(0) + "," + image(1) + "]}";
      List<Socket> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout((int) Await.SAFETY.toMillis());
        inFlight.add(s);
        s.getOutputStream()
            .write(
                ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                        + body.length()
                        + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertEquals("HTTP/1.1 100 Continue", interimResponse(s), "request " + i);
        s.getOutputStream()
            .write(body.substring(0, body.length() / 2).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      }
      // SIGTERM (Process.destroy would also close our end of its output)
      assertEquals(
          0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
      lines.await(l -> l.equals("stopping: answering the requests in flight"));
      Await.until("the server stopped listening", () -> refused(port));
      for (Socket s : inFlight) { // each client sends the rest of its body, then reads its answer
        s.getOutputStream()
            .write(body.substring(body.length() / 2).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      }
      for (Socket s : inFlight) {
        try (s) {
          String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(response.startsWith("HTTP/1.1 200"), response);
          assertTrue(response.contains("\"predictions\""), response);
        }
      }
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve did not exit");
      lines.await(l -> l.equals("stopped"));
      assertEquals(0, serve.exitValue(), lines.text());
    } finally {
      serve.destroyForcibly();
    }
  }

  /** The status line of an interim response (its headers, up to the blank line, are read). */
  private static String interimResponse(Socket s) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = s.getInputStream().read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString().lines().findFirst().orElse("");
  }

  /** Whether a new connection to {@code port} is refused (the server closed its socket). */
  private static boolean refused(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A child's output, read line by line as it comes. */
  private static final class ChildOutput {
    private final StringBuffer text = new StringBuffer();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    ChildOutput(Process process) {
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    text.append(line).append('\n');
                    lines.add(line);
                  }
                } catch (IOException e) {
                  text.append(e).append('\n');
                }
              },
              "serve-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line that {@code wanted} accepts; fails after {@link Await#SAFETY}. */
    String await(Predicate<String> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + Await.SAFETY.toNanos();
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no such line from serve in " + Await.SAFETY + ":\n" + text);
        }
        if (wanted.test(line)) {
          return line;
        }
      }
    }

    String text() {
      return text.toString();
    }
  }

  /** Median time of three predict requests, each on a new connection. */
  private static double medianMillis(int port, String body) throws Exception {
    double[] ms = new double[3];
    for (int i = 0; i < ms.length; i++) {
      HttpClient fresh = HttpClient.newHttpClient();
      long start = System.nanoTime();
      HttpResponse<String> r =
          fresh.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .timeout(Await.SAFETY)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - start) / 1e6;
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"classes\""), r.body());
    }
    java.util.Arrays.sort(ms);
    return ms[1];
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static String image(int i) {
    return imageOf(test, i);
  }

  /** Test image {@code i} as a JSON list of 784 numbers. */
  public static String imageOf(Dataset test, int i) {
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < 784; k++) {
      sb.append(k == 0 ? "" : ",").append(test.images()[i * 784 + k]);
    }
    return sb.append(']').toString();
  }
}
