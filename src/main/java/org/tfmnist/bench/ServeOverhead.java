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
 * bare throughput on the server's CPU at the mean batch size the server formed ({@link
 * BarePredict}). The server's CPU time per request, less the bare CPU time per image, is its CPU
 * per request outside TensorFlow (HTTP or gRPC, JSON or protobuf, queues, copies, the JVM's own
 * threads).
 */
public final class ServeOverhead {
  /** One measured row: served and bare images/s at the batch formed, the server's CPU. */
  public record Row(
      String protocol,
      boolean batching,
      int clients,
      double servedPerSecond,
      double meanBatch,
      double barePerSecond,
      double serverCpuMicrosPerRequest,
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

  private record Served(ServeBenchmark.Row row, double meanBatch, double cpuMicrosPerRequest) {}

  private ServeOverhead() {}

  /**
   * Measures REST and gRPC at {@code clients} clients, batching off and on ({@code batching} with
   * one batch thread, as one CPU has), {@code seconds} a row; prints the rows to {@code out} and
   * returns them, or prints why it cannot run here (no {@code taskset}, fewer than two CPUs) and
   * returns none. {@code cli} starts this CLI in a new JVM; {@code work} holds the server's files.
   */
  public static List<Row> run(
      List<String> cli,
      Path model,
      Dataset images,
      int clients,
      double seconds,
      BatchingOptions batching,
      Path work,
      PrintStream out)
      throws TfmnistException {
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
    BatchingOptions on = oneThread(batching);
    printHeader(on, clients, seconds, serverCpu, clientCpu, out);
    List<Row> rows = new ArrayList<>();
    try {
      CpuAffinity.pin(self, clientCpu);
      List<Served> served = new ArrayList<>();
      for (BatchingOptions mode : List.of(BatchingOptions.OFF, on)) {
        try (ServerProcess server = ServerProcess.start(cli, serverCpu, model, mode, work)) {
          served.addAll(serve(server, images, clients, seconds, mode.enabled()));
        }
      }
      CpuAffinity.pin(self, serverCpu);
      for (Served s : served) {
        int batch = (int) Math.max(1, Math.round(s.meanBatch()));
        double bare = BarePredict.imagesPerSecond(model, images, batch, seconds);
        rows.add(
            new Row(
                s.row().protocol(),
                s.row().batching(),
                clients,
                s.row().perSecond(),
                s.meanBatch(),
                bare,
                s.cpuMicrosPerRequest(),
                s.row().failed()));
      }
    } finally {
      CpuAffinity.pin(self, original);
    }
    OverheadTable.print(rows, out);
    return rows;
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
      BatchingOptions on,
      int clients,
      double seconds,
      String serverCpu,
      String clientCpu,
      PrintStream out) {
    out.printf(
        Locale.ROOT,
        "overhead: serve in a child JVM on CPU %s (1 TensorFlow thread, float32; batching on:"
            + " --max_batch_size %d --batch_timeout_micros %d --num_batch_threads 1),"
            + " %d clients on CPU %s, %.0f s a row; bare: the SavedModel run in this JVM on CPU %s"
            + " at the mean batch the server formed%n",
        serverCpu,
        on.maxBatchSize(),
        on.batchTimeoutMicros(),
        clients,
        clientCpu,
        seconds,
        serverCpu);
  }

  private static List<Served> serve(
      ServerProcess server, Dataset images, int clients, double seconds, boolean batching)
      throws TfmnistException {
    byte[][] bodies = LoadClients.restBodies(images, 1000);
    PredictRequest[] requests = LoadClients.grpcRequests(images, 1000);
    List<ServeBenchmark.Protocol> protocols =
        List.of(
            new ServeBenchmark.Protocol(
                "rest", i -> LoadClients.rest(server.restPort, "/v1/models/mnist:predict", bodies)),
            new ServeBenchmark.Protocol("grpc", i -> LoadClients.grpc(server.grpcPort, requests)));
    List<Served> served = new ArrayList<>();
    for (ServeBenchmark.Protocol p : protocols) {
      ServeBenchmark.measure(p, images, clients, Math.min(5, 2 * seconds), batching); // JIT
      String before = server.metrics();
      long cpu = server.cpuNanos();
      long start = System.nanoTime();
      ServeBenchmark.Row row = ServeBenchmark.measure(p, images, clients, seconds, batching);
      double wall = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (server.cpuNanos() - cpu) / 1e9;
      String after = server.metrics();
      double meanBatch = batching ? MetricsText.meanBatch(before, after) : 1;
      served.add(new Served(row, meanBatch, 1e6 * cpuSeconds / wall / row.perSecond()));
    }
    return served;
  }
}
