package org.tfmnist.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.LoadOptions;
import org.tfmnist.serving.http.ServerOptions;
import org.tfmnist.serving.server.ModelServer;
import org.tfmnist.serving.server.ModelSource;
import org.tfmnist.serving.server.ServingOptions;
import tensorflow.serving.Predict.PredictRequest;

/**
 * Throughput and latency of {@code serve} for single-image predict requests over loopback, REST
 * (HTTP/1.1 JSON) and gRPC (TF Serving's Predict), from 1, 8, 32 and 64 concurrent clients (each
 * with its own connection), with batching off and on, in one process: what {@code benchmark
 * --serve} prints. The server is a {@link ModelServer}, as {@code serve} starts it.
 */
public final class ServeBenchmark {
  /** One row: requests per second, median and 99th-percentile latency, failed requests. */
  public record Row(
      String protocol,
      boolean batching,
      int clients,
      double perSecond,
      double p50Ms,
      double p99Ms,
      int failed) {}

  /** Images encoded once as requests, sent round-robin (different images, no encoding timed). */
  private static final int ENCODED = 1000;

  private ServeBenchmark() {}

  /**
   * Runs every row for {@code seconds} each (after a short warm-up) and prints them to {@code out}.
   */
  public static List<Row> run(
      Path model,
      Dataset images,
      int[] clients,
      double seconds,
      SessionOptions session,
      BatchingOptions batching,
      boolean external,
      PrintStream out)
      throws TfmnistException {
    List<Row> rows = new ArrayList<>();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    out.printf(
        Locale.ROOT,
        "%-8s %-9s %7s %11s %8s %8s %7s%n",
        "protocol",
        "batching",
        "clients",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "failed");
    byte[][] bodies = LoadClients.restBodies(images, ENCODED);
    PredictRequest[] requests = LoadClients.grpcRequests(images, ENCODED);
    for (BatchingOptions mode : List.of(BatchingOptions.OFF, batching)) {
      ServingOptions options =
          ServingOptions.local(ModelSource.directory("mnist", model))
              .withHttp(ServerOptions.defaults().withThreads(8, 128))
              .withLoad(LoadOptions.of(session))
              .withBatching(mode);
      try (ModelServer server = ModelServer.start(options, quiet, quiet)) {
        int restPort = server.restPort();
        int grpcPort = server.grpcPort();
        List<Protocol> protocols =
            List.of(
                new Protocol(
                    "rest", i -> LoadClients.rest(restPort, "/v1/models/mnist:predict", bodies)),
                new Protocol("grpc", i -> LoadClients.grpc(grpcPort, requests)));
        for (Protocol p : protocols) {
          // warm-up: the JIT compiles the gRPC and REST paths for several seconds of load
          measure(p, images, 32, Math.min(5, 2 * seconds), mode.enabled());
          for (int c : clients) {
            Row row = measure(p, images, c, seconds, mode.enabled());
            rows.add(row);
            print(out, row);
          }
        }
        if (external && mode.enabled()) {
          External.run(restPort, grpcPort, bodies[0], requests[0], seconds, server.metrics(), out);
        }
      }
    }
    return rows;
  }

  /** Batching's gain for each protocol and REST/gRPC with batching, at {@code clients} clients. */
  public static String summary(List<Row> rows, int clients) {
    double restOff = perSecond(rows, "rest", false, clients);
    double restOn = perSecond(rows, "rest", true, clients);
    double grpcOff = perSecond(rows, "grpc", false, clients);
    double grpcOn = perSecond(rows, "grpc", true, clients);
    return String.format(
        Locale.ROOT,
        "%d clients: batching on/off throughput REST %.2fx, gRPC %.2fx;"
            + " REST/gRPC with batching %.2f",
        clients,
        restOn / restOff,
        grpcOn / grpcOff,
        restOn / grpcOn);
  }

  private static double perSecond(List<Row> rows, String protocol, boolean batching, int clients) {
    return rows.stream()
        .filter(
            r ->
                r.protocol().equals(protocol) && r.batching() == batching && r.clients() == clients)
        .mapToDouble(Row::perSecond)
        .sum();
  }

  /** A protocol's name and how to open one client of it (the argument: the client's number). */
  record Protocol(String name, IntFunction<LoadClients.Client> client) {}

  private static void print(PrintStream out, Row row) {
    out.printf(
        Locale.ROOT,
        "%-8s %-9s %7d %11.0f %8.2f %8.2f %7d%n",
        row.protocol(),
        row.batching() ? "on" : "off",
        row.clients(),
        row.perSecond(),
        row.p50Ms(),
        row.p99Ms(),
        row.failed());
  }

  /** {@code clients} clients of {@code protocol} sending for {@code seconds}: one row. */
  static Row measure(
      Protocol protocol, Dataset images, int clients, double seconds, boolean batching) {
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
                  mine[0] = requests(protocol, first, clients, end, mine, failed);
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
        protocol.name(),
        batching,
        clients,
        all.length / elapsed,
        Percentiles.percentile(all, 0.50) / 1e6,
        Percentiles.percentile(all, 0.99) / 1e6,
        failed.get());
  }

  /**
   * One client's loop until {@code end} (one request at least): images first, first + clients, ...;
   * each request's latency (ns) into latencies[1..n], a failed request counted in failed. Returns
   * n.
   */
  private static int requests(
      Protocol protocol, int first, int clients, long end, long[] latencies, AtomicInteger failed) {
    int n = 0;
    try (LoadClients.Client client = protocol.client().apply(first)) {
      for (int i = first;
          (n == 0 || System.nanoTime() < end) && n < latencies.length - 1;
          i += clients) { // at least one request, even on a machine too busy to start in time
        long t0 = System.nanoTime();
        try {
          if (!client.call(i)) {
            failed.incrementAndGet();
          }
        } catch (Exception e) {
          failed.incrementAndGet();
        }
        latencies[++n] = System.nanoTime() - t0;
      }
    }
    return n;
  }
}
