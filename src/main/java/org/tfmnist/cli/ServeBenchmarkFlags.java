package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.bench.ServeBenchmark;
import org.tfmnist.bench.ServeOverhead;
import org.tfmnist.data.Dataset;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code benchmark --serve} and its run: the in-process table (REST and gRPC, 1 to
 * 64 clients, batching off and on), the external load generators, and the overhead measured with
 * the server and its clients pinned to CPUs of their own.
 */
final class ServeBenchmarkFlags {
  /** The client count the overhead goal is set at. */
  static final int OVERHEAD_CLIENTS = 32;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "With --serve: seconds per row (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--max_batch_size",
      paramLabel = "N",
      defaultValue = "64",
      description = "With --serve: batching's --max_batch_size (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch_timeout_micros",
      paramLabel = "US",
      defaultValue = "2000",
      description = "With --serve: batching's --batch_timeout_micros (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Option(
      names = "--num_batch_threads",
      paramLabel = "N",
      defaultValue = "2",
      description = "With --serve: batching's --num_batch_threads (default: ${DEFAULT-VALUE}).")
  int batchThreads;

  @Option(
      names = "--external",
      description =
          "With --serve: also load the server with wrk (REST) and h2load (gRPC), 32 and 64"
              + " clients, batching on (Debian packages wrk, nghttp2-client).")
  boolean external;

  @Option(
      names = "--overhead",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --serve: also measure the serving overhead at 32 clients: serve in a child JVM"
              + " pinned to one CPU (taskset), the clients on another, served images/s over the"
              + " SavedModel's bare images/s on that CPU at the batch formed, and the server's CPU"
              + " per request outside TensorFlow (default: on; --no-overhead skips it).")
  boolean overhead;

  @Option(
      names = "--overhead-warmup",
      paramLabel = "S",
      defaultValue = "240",
      description =
          "With --serve: at most this many seconds of load per protocol before each overhead row;"
              + " it ends once the server's JIT compiler takes under 2% of its CPU, which on one"
              + " CPU takes a minute or more (default: ${DEFAULT-VALUE}).")
  double overheadWarmup;

  void validate(CommandSpec spec) {
    if (overheadWarmup < 0) {
      throw new ParameterException(spec.commandLine(), "--overhead-warmup must be >= 0");
    }
    if (seconds <= 0 || maxBatchSize < 1 || batchThreads < 1 || batchTimeoutMicros < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds, --max_batch_size and --num_batch_threads must be > 0,"
              + " --batch_timeout_micros >= 0");
    }
  }

  /**
   * Measures {@code serve} of {@code model} on {@code test}'s images; {@code cli} starts this CLI
   * in a child JVM, {@code work} holds its files.
   */
  void run(
      Path model,
      Dataset test,
      SessionOptions options,
      Path dataDir,
      List<String> cli,
      Path work,
      PrintStream out)
      throws TfmnistException {
    out.printf(
        Locale.ROOT,
        "serve: %s, single-image predict requests over loopback REST and gRPC, %.0f s per row,"
            + " %d cores;"
            + " batching on: --max_batch_size %d --batch_timeout_micros %d --num_batch_threads %d;"
            + " session: %s%n",
        model,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        maxBatchSize,
        batchTimeoutMicros,
        batchThreads,
        options.describe());
    BatchingOptions on = new BatchingOptions(true, maxBatchSize, batchTimeoutMicros, batchThreads);
    List<ServeBenchmark.Row> rows =
        ServeBenchmark.run(
            model, test, new int[] {1, 8, 32, 64}, seconds, options, on, external, out);
    out.println(ServeBenchmark.summary(rows, OVERHEAD_CLIENTS));
    if (overhead) {
      ServeOverhead.run(
          new ServeOverhead.Plan(
              cli, model, dataDir, OVERHEAD_CLIENTS, seconds, overheadWarmup, on, work),
          test,
          out);
    }
  }
}
