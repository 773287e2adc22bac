package org.tfmnist.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.BatchingOptions;

/**
 * {@code serve} in a child JVM pinned to one CPU, as a user starts it: one SavedModel as model
 * {@code mnist} on loopback, one TensorFlow thread, Prometheus metrics on at TF Serving's default
 * path, and with batching a {@code --batching_parameters_file} in TF Serving's text format. It
 * reports the CPU time the whole server process has used, and its metrics text.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(180);
  private static final String METRICS = "/monitoring/prometheus/metrics";

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  final int restPort;
  final int grpcPort;

  /** The CPUs the server is pinned to, as taskset lists them. */
  final String cpus;

  private ServerProcess(Process process, Path log, int restPort, int grpcPort, String cpus) {
    this.cpus = cpus;
    this.process = process;
    this.log = log;
    this.restPort = restPort;
    this.grpcPort = grpcPort;
  }

  /**
   * Starts {@code cli serve} on the CPUs of {@code cpus} with {@code batching} (files and log in
   * {@code work}) and waits until model {@code mnist} is AVAILABLE.
   */
  static ServerProcess start(
      List<String> cli, String cpus, Path model, BatchingOptions batching, Path work)
      throws TfmnistException {
    try {
      int rest = freePort();
      int grpc = freePort();
      Path monitoring =
          Files.writeString(work.resolve("monitoring.txt"), "prometheus_config { enable: true }\n");
      List<String> command = new ArrayList<>(cli);
      command.addAll(
          List.of(
              "serve",
              "--model=" + model.toAbsolutePath(),
              "--model_name=mnist",
              "--host=127.0.0.1",
              "--port=" + grpc,
              "--rest_api_port=" + rest,
              "--tensorflow_intra_op_parallelism=1",
              "--tensorflow_inter_op_parallelism=1",
              "--monitoring_config_file=" + monitoring));
      if (batching.enabled()) {
        Path file =
            Files.writeString(
                work.resolve("batching.txt"),
                "max_batch_size { value: "
                    + batching.maxBatchSize()
                    + " }\nbatch_timeout_micros { value: "
                    + batching.batchTimeoutMicros()
                    + " }\nnum_batch_threads { value: "
                    + batching.threads()
                    + " }\nmax_enqueued_batches { value: "
                    + batching.maxEnqueuedBatches()
                    + " }\n");
        command.addAll(List.of("--enable_batching=true", "--batching_parameters_file=" + file));
      }
      Path log = work.resolve(batching.enabled() ? "serve-batching.log" : "serve.log");
      Process p =
          new ProcessBuilder(CpuAffinity.pinned(cpus, command))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ServerProcess server = new ServerProcess(p, log, rest, grpc, cpus);
      try {
        server.awaitAvailable();
      } catch (TfmnistException | RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new TfmnistException("cannot start serve in a child JVM: " + e.getMessage(), e);
    }
  }

  /** The CPU time the server process has used so far, in nanoseconds. */
  long cpuNanos() throws TfmnistException {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new TfmnistException("the server's CPU time cannot be read here"))
        .toNanos();
  }

  /**
   * The CPU time the server's JIT compiler threads (HotSpot's "C1/C2 CompilerThread") have used so
   * far, in nanoseconds, from {@code /proc/PID/task/TID/stat} (clock ticks of 10 ms); 0 where there
   * is no {@code /proc}.
   */
  long jitNanos() {
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    long ticks = 0;
    try (var dirs = Files.list(tasks)) {
      for (Path task : dirs.toList()) {
        ticks += compilerTicks(task.resolve("stat"));
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10_000_000L;
  }

  private static long compilerTicks(Path stat) {
    try {
      String text = Files.readString(stat, StandardCharsets.US_ASCII);
      String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
      if (!name.contains("CompilerThre")) {
        return 0;
      }
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    } catch (IOException | RuntimeException e) {
      return 0; // the thread ended
    }
  }

  /** The server's Prometheus metrics text. */
  String metrics() throws TfmnistException {
    return get(METRICS).body();
  }

  private void awaitAvailable() throws TfmnistException {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new TfmnistException("serve exited (" + process.exitValue() + "): " + logTail());
      }
      try {
        HttpResponse<String> r = get("/v1/models/mnist");
        if (r.statusCode() == 200 && r.body().contains("\"AVAILABLE\"")) {
          return;
        }
      } catch (TfmnistException e) {
        // not listening yet
      }
      pause();
    }
    throw new TfmnistException("serve did not make mnist AVAILABLE in " + START + ": " + logTail());
  }

  private HttpResponse<String> get(String path) throws TfmnistException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TfmnistException("GET " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted", e);
    }
  }

  private String logTail() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return text.substring(Math.max(0, text.length() - 2000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the server as Ctrl-C does, forcibly after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
