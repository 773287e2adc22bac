package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.cli.Main;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
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

  @Test
  void twoHundredStalledConnectionsDoNotDelayANormalRequest() throws Exception {
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        RestServer server =
            new RestServer(
                models, ServerOptions.defaults().withThreads(2, 8), new ServingMetrics(), QUIET)) {
      int port = server.start("127.0.0.1", 0);
      List<Socket> stalled = new ArrayList<>();
      String body = "{\"instances\": [" + image(0) + "]}";
      double alone =
          medianMillis(
              port, body); // the same requests without stalled connections, on this machine now
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
        Thread.sleep(300);
        double ms = medianMillis(port, body);
        System.out.printf(
            "normal request beside 200 stalled connections: %.0f ms (median of 3; %.0f ms without them)%n",
            ms, alone);
        assertTrue(
            ms < Math.max(2000, 3 * alone),
            "took " + ms + " ms, " + alone + " ms without stalled connections");
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
      }
    }
  }

  @Test
  void aBodyOfMillionsOfNumbersIsParsedInBoundedMemory() throws Exception {
    int images = 2600; // 2,038,400 numbers, about 12 MB of JSON
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
        out.write(one);
        out.write(i == images - 1 ? ']' : ',');
        if (i == images * 9 / 10) {
          out.flush();
          Thread.sleep(
              500); // the server has parsed what it got: measure while it holds 90% of the body
          long grown = heapAfterGc() - before;
          long bound =
              8 * (long) (i + 1) * 784 + (24L << 20); // float buffer (x2 for its growth) + 24 MiB
          System.out.printf(
              "heap grew by %.1f MiB with %,d numbers received (bound %.1f MiB; the body so far is %.1f MB)%n",
              grown / 1048576.0,
              (long) (i + 1) * 784,
              bound / 1048576.0,
              (i + 1) * (one.length + 1) / 1e6);
          assertTrue(grown < bound, "heap grew by " + grown + " bytes, bound " + bound);
        }
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

  @Test
  void aFullServerAnswers503AtOnce() throws Exception {
    // one thread, no queue; batching with a 1.5 s window keeps the first request in flight
    BatchingOptions slow = new BatchingOptions(true, 64, 1_500_000, 1);
    try (ModelManager models = ModelManager.forDirectory("mnist", model, slow, n -> {}, QUIET);
        RestServer server =
            new RestServer(
                models, ServerOptions.defaults().withThreads(1, 0), new ServingMetrics(), QUIET)) {
      int port = server.start("127.0.0.1", 0);
      URI url = URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict");
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [" + image(0) + "]}"))
              .build();
      CompletableFuture<HttpResponse<String>> first =
          client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);
      long start = System.nanoTime();
      HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
      double ms = (System.nanoTime() - start) / 1e6;
      assertEquals(503, second.statusCode(), second.body());
      JsonObject error = JsonParser.parseString(second.body()).getAsJsonObject();
      assertTrue(error.get("error").getAsString().startsWith("the server is busy"), second.body());
      assertTrue(ms < 1000, "503 took " + ms + " ms");
      assertEquals(200, first.get().statusCode(), first.get().body());
    }
  }

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
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      Pattern page = Pattern.compile("page: +http://127\\.0\\.0\\.1:(\\d+)/");
      String line;
      while (port < 0 && (line = lines.readLine()) != null) {
        Matcher m = page.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "serve printed no address");
      String body = "{\"instances\": [" + image(0) + "," + image(1) + "]}";
      List<Socket> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream()
            .write(
                ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                        + body.length()
                        + "\r\nConnection: close\r\n\r\n"
                        + body.substring(0, body.length() / 2))
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        inFlight.add(s);
      }
      // time for a cold JVM on a loaded machine to take the three requests in (at 300 ms, a
      // JVM that had also started gRPC sometimes had not yet: they were refused as new ones)
      Thread.sleep(1000);
      // SIGTERM (Process.destroy would also close our end of its output)
      assertEquals(
          0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
      Thread.sleep(300);
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
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not exit");
      StringBuilder rest = new StringBuilder();
      lines.lines().forEach(l -> rest.append(l).append('\n'));
      assertEquals(0, serve.exitValue(), rest.toString());
      assertTrue(rest.toString().contains("stopped"), rest.toString());
    } finally {
      serve.destroyForcibly();
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
