package org.tfmnist.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;

/**
 * Throughput and latency of {@code serve} for single-image predict requests over loopback HTTP,
 * from 1, 8, 32 and 64 concurrent clients (each with its own keep-alive connection), with batching
 * off and on, in one process: what {@code benchmark --serve} prints.
 */
public final class ServeBenchmark {
  /** One row: requests per second, median and 99th-percentile latency, failed requests. */
  public record Row(
      boolean batching, int clients, double perSecond, double p50Ms, double p99Ms, int failed) {}

  private ServeBenchmark() {}

  /**
   * Runs every row for {@code seconds} each (after a short warm-up) and prints them to {@code out}.
   */
  public static List<Row> run(
      Path model,
      Dataset images,
      int[] clients,
      double seconds,
      BatchingOptions batching,
      PrintStream out)
      throws TfmnistException {
    List<Row> rows = new ArrayList<>();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    out.printf(
        Locale.ROOT,
        "%-9s %7s %11s %8s %8s %7s%n",
        "batching",
        "clients",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "failed");
    for (BatchingOptions mode : List.of(BatchingOptions.OFF, batching)) {
      ServingMetrics metrics = new ServingMetrics();
      try (ModelManager models =
              ModelManager.forDirectory("mnist", model, mode, metrics::batch, quiet);
          RestServer server =
              new RestServer(
                  models, ServerOptions.defaults().withThreads(8, 128), metrics, quiet)) {
        URI url = URI.create("http://127.0.0.1:" + start(server) + "/v1/models/mnist:predict");
        measure(url, images, 8, Math.min(2, seconds), mode.enabled()); // warm-up
        for (int c : clients) {
          Row row = measure(url, images, c, seconds, mode.enabled());
          rows.add(row);
          out.printf(
              Locale.ROOT,
              "%-9s %7d %11.0f %8.2f %8.2f %7d%n",
              mode.enabled() ? "on" : "off",
              c,
              row.perSecond(),
              row.p50Ms(),
              row.p99Ms(),
              row.failed());
        }
      }
    }
    return rows;
  }

  private static int start(RestServer server) throws TfmnistException {
    try {
      return server.start("127.0.0.1", 0);
    } catch (Exception e) {
      throw new TfmnistException("cannot start a server on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private static Row measure(
      URI url, Dataset images, int clients, double seconds, boolean batching) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<long[]> latencies = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      long[] mine = new long[1 << 20];
      latencies.add(mine);
      int first = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  mine[0] = requests(url, images, first, clients, end, mine, failed);
                } finally {
                  done.countDown();
                }
              },
              "bench-client-" + c);
      t.setDaemon(true);
      t.start();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all =
        latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).toArray();
    return new Row(
        batching,
        clients,
        all.length / elapsed,
        Percentiles.percentile(all, 0.50) / 1e6,
        Percentiles.percentile(all, 0.99) / 1e6,
        failed.get());
  }

  /**
   * One client's loop until {@code end}: images first, first + clients, ...; each request's latency
   * (ns) into latencies[1..n], a failed or non-200 request counted in failed. Returns n.
   */
  private static int requests(
      URI url,
      Dataset images,
      int first,
      int clients,
      long end,
      long[] latencies,
      AtomicInteger failed) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    int n = 0;
    for (int i = first; System.nanoTime() < end && n < latencies.length - 1; i += clients) {
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .POST(HttpRequest.BodyPublishers.ofString(body(images, i % images.size())))
              .build();
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failed.incrementAndGet();
        }
      } catch (Exception e) {
        failed.incrementAndGet();
      }
      latencies[++n] = System.nanoTime() - t0;
    }
    return n;
  }

  private static String body(Dataset images, int i) {
    StringBuilder sb = new StringBuilder(8 * MnistShape.PIXELS).append("{\"instances\": [[");
    for (int k = 0; k < MnistShape.PIXELS; k++) {
      sb.append(k == 0 ? "" : ",").append(images.images()[i * MnistShape.PIXELS + k]);
    }
    return sb.append("]]}").toString();
  }
}
