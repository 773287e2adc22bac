package org.tfmnist.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.serving.BatchingOptions;
import tensorflow.serving.Predict.PredictRequest;

/**
 * The serving overhead, measured fairly on a machine with two CPUs: {@code serve} runs in a child
 * JVM pinned to the first CPU with one TensorFlow thread ({@link ServerProcess}), this JVM's
 * clients are pinned to the second, and the images/s served are divided by the same SavedModel's
 * bare throughput on the server's CPU (another child JVM, {@link BarePredict}) at the mean batch
 * size the server formed. The server's CPU time per request, less the bare time per image, is its
 * CPU per request outside TensorFlow (HTTP or gRPC, JSON or protobuf, queues, copies, and the JVM's
 * own threads: the JIT compiler's share is shown apart, as it should be near 0 once warmed up).
 */
public final class ServeOverhead {
  /**
   * What to measure: {@code cli} starts this CLI in a new JVM; the test images of {@code dataDir};
   * at most {@code warmup} seconds of load per protocol before its row, ended early once the
   * server's JIT compiler takes under {@link #SETTLED} of its CPU in two {@link #WINDOW}-second
   * windows in a row (on one CPU HotSpot compiles a server's paths for a minute or more); {@code
   * work} holds the server's files.
   */
  public record Plan(
      List<String> cli,
      Path model,
      Path dataDir,
      int clients,
      double seconds,
      double warmup,
      BatchingOptions batching,
      Path work) {}

  /** The JIT compiler's share of the server's CPU under which the server counts as warm. */
  public static final double SETTLED = 0.02;

  /** Seconds of load over which the JIT compiler's share is read during the warm-up. */
  static final double WINDOW = 5;

  /** One measured row: served and bare images/s at the batch formed, the server's CPU. */
  public record Row(
      String protocol,
      boolean batching,
      int clients,
      double servedPerSecond,
      double meanBatch,
      double barePerSecond,
      double serverCpuMicrosPerRequest,
      double jitMicrosPerRequest,
      double warmupSeconds,
      int failed) {
    /** Served over bare throughput: 1 means no overhead. */
    public double ratio() {
      return servedPerSecond / barePerSecond;
    }

    /** The server's CPU per request less TensorFlow's own (the bare run's time per image). */
    public double outsideTensorFlowMicros() {
      return serverCpuMicrosPerRequest - 1e6 / barePerSecond;
    }
  }

  private record Served(
      ServeBenchmark.Row row,
      double meanBatch,
      double bare,
      double cpuMicrosPerRequest,
      double jitMicros,
      double warmup) {}

  private ServeOverhead() {}

  /**
   * Measures REST and gRPC at the plan's clients, batching off and on (the plan's batching with one
   * batch thread, as one CPU has); prints the rows to {@code out} and returns them, or prints why
   * it cannot run here (no {@code taskset}, fewer than two CPUs) and returns none.
   */
  public static List<Row> run(Plan plan, Dataset images, PrintStream out) throws TfmnistException {
    if (!CpuAffinity.available()) {
      out.println("overhead: not measured: taskset (Debian package util-linux) is not installed");
      return List.of();
    }
    long self = ProcessHandle.current().pid();
    String original = CpuAffinity.list(self);
    List<Integer> cpus = CpuAffinity.cpus(original);
    if (cpus.size() < 2) {
      out.println("overhead: not measured: this process may run on CPU " + original + " only");
      return List.of();
    }
    String serverCpu = Integer.toString(cpus.get(0));
    String clientCpu = Integer.toString(cpus.get(1));
    BatchingOptions on = oneThread(plan.batching());
    printHeader(plan, on, serverCpu, clientCpu, out);
    List<Row> rows = new ArrayList<>();
    try {
      CpuAffinity.pin(self, clientCpu);
      List<Served> served = new ArrayList<>();
      for (BatchingOptions mode : List.of(BatchingOptions.OFF, on)) {
        try (ServerProcess server =
            ServerProcess.start(plan.cli(), serverCpu, plan.model(), mode, plan.work())) {
          served.addAll(serve(server, images, plan, mode.enabled()));
        }
      }
      for (Served s : served) {
        rows.add(
            new Row(
                s.row().protocol(),
                s.row().batching(),
                plan.clients(),
                s.row().perSecond(),
                s.meanBatch(),
                s.bare(),
                s.cpuMicrosPerRequest(),
                s.jitMicros(),
                s.warmup(),
                s.row().failed()));
      }
    } finally {
      CpuAffinity.pin(self, original);
    }
    OverheadTable.print(rows, out);
    return rows;
  }

  /**
   * The bare images/s on the server's CPU at {@code meanBatch} rounded (the server idle meanwhile),
   * measured just before and just after each row and averaged: this machine's speed drifts by tens
   * of percent from one minute to the next.
   */
  private static double bare(Plan plan, String cpus, double meanBatch) throws TfmnistException {
    int batch = (int) Math.max(1, Math.round(meanBatch));
    return BarePredict.inChild(
        plan.cli(), cpus, plan.model(), plan.dataDir(), batch, plan.seconds());
  }

  private static BatchingOptions oneThread(BatchingOptions batching) {
    return new BatchingOptions(
        true,
        batching.maxBatchSize(),
        batching.batchTimeoutMicros(),
        1,
        batching.maxEnqueuedBatches(),
        List.of(),
        false,
        "");
  }

  private static void printHeader(
      Plan plan, BatchingOptions on, String serverCpu, String clientCpu, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "overhead: serve in a child JVM on CPU %s (1 TensorFlow thread, float32; batching on:"
            + " --max_batch_size %d --batch_timeout_micros %d --num_batch_threads 1),"
            + " %d clients on CPU %s, load per protocol until the JIT compiler takes under 2%%"
            + " of the server's CPU (at most %.0f s), then %.0f s a row;"
            + " bare: the SavedModel alone in a child JVM on CPU %s at the mean batch formed,"
            + " just before and just after the row%n",
        serverCpu,
        on.maxBatchSize(),
        on.batchTimeoutMicros(),
        plan.clients(),
        clientCpu,
        plan.warmup(),
        plan.seconds(),
        serverCpu);
  }

  private static List<Served> serve(
      ServerProcess server, Dataset images, Plan plan, boolean batching) throws TfmnistException {
    byte[][] bodies = LoadClients.restBodies(images, 1000);
    PredictRequest[] requests = LoadClients.grpcRequests(images, 1000);
    List<ServeBenchmark.Protocol> protocols =
        List.of(
            new ServeBenchmark.Protocol(
                "rest", i -> LoadClients.rest(server.restPort, "/v1/models/mnist:predict", bodies)),
            new ServeBenchmark.Protocol("grpc", i -> LoadClients.grpc(server.grpcPort, requests)));
    List<Served> served = new ArrayList<>();
    int clients = plan.clients();
    for (ServeBenchmark.Protocol p : protocols) {
      double[] warm = warmUp(server, p, images, plan, batching);
      double bareBefore = bare(plan, server.cpus, warm[1]);
      String before = server.metrics();
      long cpu = server.cpuNanos();
      long jit = server.jitNanos();
      long start = System.nanoTime();
      ServeBenchmark.Row row = ServeBenchmark.measure(p, images, clients, plan.seconds(), batching);
      double perSecondOfWall = 1e9 / (System.nanoTime() - start) / row.perSecond();
      double cpuMicros = (server.cpuNanos() - cpu) / 1e3 * perSecondOfWall;
      double jitMicros = (server.jitNanos() - jit) / 1e3 * perSecondOfWall;
      String after = server.metrics();
      double meanBatch = batching ? MetricsText.meanBatch(before, after) : 1;
      double bare = (bareBefore + bare(plan, server.cpus, meanBatch)) / 2;
      served.add(new Served(row, meanBatch, bare, cpuMicros, jitMicros, warm[0]));
    }
    return served;
  }

  /**
   * Loads the server with {@code p} until its JIT compiler's share of the server's CPU is under
   * {@link #SETTLED} in two {@link #WINDOW}-second windows in a row (the compiler works in bursts),
   * or the plan's warm-up time is spent; returns the seconds it took and the mean batch the server
   * formed in the last window.
   */
  private static double[] warmUp(
      ServerProcess server, ServeBenchmark.Protocol p, Dataset images, Plan plan, boolean batching)
      throws TfmnistException {
    long start = System.nanoTime();
    long end = start + (long) (plan.warmup() * 1e9);
    int settled = 0;
    double meanBatch = 1;
    do {
      long cpu = server.cpuNanos();
      long jit = server.jitNanos();
      String before = server.metrics();
      double left = (end - System.nanoTime()) / 1e9;
      ServeBenchmark.measure(
          p, images, plan.clients(), Math.max(0.1, Math.min(WINDOW, left)), batching);
      long used = server.cpuNanos() - cpu;
      meanBatch = batching ? MetricsText.meanBatch(before, server.metrics()) : 1;
      settled = used > 0 && server.jitNanos() - jit < SETTLED * used ? settled + 1 : 0;
    } while (settled < 2 && System.nanoTime() < end);
    return new double[] {(System.nanoTime() - start) / 1e9, meanBatch};
  }
}
