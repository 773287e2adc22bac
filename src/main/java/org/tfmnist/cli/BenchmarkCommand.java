package org.tfmnist.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.bench.BarePredict;
import org.tfmnist.bench.Benchmark;
import org.tfmnist.bench.BenchmarkReport;
import org.tfmnist.bench.BenchmarkTable;
import org.tfmnist.bench.CliLauncher;
import org.tfmnist.bench.MemoryRun;
import org.tfmnist.bench.StepProfile;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.runtime.SessionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Prints how close training comes to the hardware: the matmul ceiling, each tutorial model's
 * training rate and its fraction of the ceiling, the Trainer's overhead, start-up times and predict
 * latency ({@code --json} for tooling); or, with {@code --memory}, memory over a long run.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Speed: a 2048x2048 float32 matmul chain in one session (the ceiling, GFLOP/s); each tutorial"
          + " model's training examples/s and GFLOP/s (FLOPs counted from the graph) at --batches, as a"
          + " fraction of the ceiling; the Trainer against a bare session.run loop; start-up times of"
          + " the CLI in child JVMs; one-image predict latency of a loaded SavedModel.",
      "--memory: resident memory every 1,000 steps of a long experts run instead.",
      "--serve MODEL_DIR: serve's requests/s and p50/p99 latency from 1, 8, 32 and 64 clients, REST and gRPC, batching off and on."
    })
final class BenchmarkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "300",
      description =
          "Timed steps per loop at batch 50 (other batches: the same number of examples); with --memory, steps of the run (default: ${DEFAULT-VALUE}; 5000 is a good --memory run).")
  int steps;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description = "Timed loops per figure (the median is reported) (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--batches",
      paramLabel = "N,N",
      split = ",",
      defaultValue = "50,128,256",
      description = "Batch sizes to time both models at (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(
      names = "--matmul-size",
      paramLabel = "N",
      defaultValue = "2048",
      description = "Side of the ceiling's square matrices (default: ${DEFAULT-VALUE}).")
  int matmulSize;

  @Option(
      names = "--latency-samples",
      paramLabel = "N",
      defaultValue = "1000",
      description = "One-image predictions timed for p50/p99; 0 skips (default: ${DEFAULT-VALUE}).")
  int latencySamples;

  @Option(
      names = "--no-startup",
      description = "Skip the start-up times (they launch the CLI in child JVMs).")
  boolean noStartup;

  @Option(
      names = "--sessions",
      description =
          "Also time the CNN at batch 50 under other session settings (thread pools, XLA; oneDNN on/off in child JVMs).")
  boolean sessions;

  @Option(
      names = "--cnn-only",
      hidden = true,
      description = "Only the ceiling and the CNN (the oneDNN child runs).")
  boolean cnnOnly;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Option(
      names = "--memory",
      description = "Measure resident memory over one run of --steps steps instead of speed.")
  boolean memory;

  @Option(
      names = "--profile",
      description =
          "Print where a training step of the CNN goes instead of speed: TensorFlow's step"
              + " stats of --steps traced steps at --batch, op time per op type (shares; tracing slows the steps).")
  boolean profile;

  @Option(
      names = "--serve",
      paramLabel = "MODEL_DIR",
      description =
          "Measure serve instead: requests/s and p50/p99 latency of single-image predict requests from 1, 8, 32 and 64"
              + " clients over REST and gRPC, batching off and on, against this SavedModel.")
  Path serve;

  @Mixin ServeBenchmarkFlags serveFlags = new ServeBenchmarkFlags();

  @Option(
      names = "--bare-predict",
      hidden = true,
      paramLabel = "MODEL_DIR",
      description = "Prints the SavedModel's images/s at --batch for --seconds (one TF thread).")
  Path barePredict;

  /** With --serve: the served model's session, as serve's flags set it. */
  @Mixin SessionFlags session = new SessionFlags();

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "50",
      description = "Batch size of the --memory run and of --profile (default: ${DEFAULT-VALUE}).")
  int batch;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = Console.out(spec);
    validate();
    if (serve != null) {
      return measureServe(out);
    }
    if (barePredict != null) { // the child JVM of benchmark --serve's overhead rows
      Dataset test = data.loadTest(new PrintStream(OutputStream.nullOutputStream()));
      out.println(
          BarePredict.LINE
              + BarePredict.imagesPerSecond(barePredict, test, batch, serveFlags.seconds));
      return 0;
    }
    DataSplits splits = data.loadAll(json ? new PrintStream(OutputStream.nullOutputStream()) : out);
    if (memory) {
      MemoryRun.measure(new DeepMnistCnn(1e-4f, 42), splits, steps, batch, out);
      return 0;
    }
    if (profile) {
      return printProfile(out, splits);
    }
    return measureSpeed(out, splits);
  }

  private void validate() {
    if (steps < 1
        || rounds < 1
        || batch < 1
        || matmulSize < 1
        || latencySamples < 0
        || batches.isEmpty()
        || batches.stream().anyMatch(b -> b < 1)) {
      throw new ParameterException(
          spec.commandLine(),
          "--steps, --rounds, --batch, --batches and --matmul-size must be >= 1, --latency-samples >= 0");
    }
    if (memory && (steps < 2000 || steps % 1000 != 0)) {
      throw new ParameterException(
          spec.commandLine(),
          "--memory samples every 1,000 steps: give --steps as a multiple of 1000, at least 2000 (e.g. 5000)");
    }
  }

  private int measureSpeed(PrintStream out, DataSplits splits) throws TfmnistException {
    boolean noChildren = noStartup || cnnOnly;
    Benchmark.Plan plan =
        new Benchmark.Plan(
            steps,
            rounds,
            List.copyOf(batches),
            matmulSize,
            8,
            noChildren ? null : CliLauncher.command(Main.class),
            noChildren
                ? null
                : CliLauncher.usableCdsArchive(Main.class)
                    .map(a -> CliLauncher.command(Main.class, a))
                    .orElse(null),
            cnnOnly ? 0 : latencySamples,
            sessions,
            cnnOnly);
    Path work = workDirectory();
    try {
      BenchmarkReport report =
          new Benchmark(splits, data.directory().toAbsolutePath()).run(plan, work);
      if (json) {
        out.println(
            new GsonBuilder()
                .setPrettyPrinting()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(report));
      } else {
        BenchmarkTable.print(report, out);
      }
    } finally {
      DurableFiles.deleteTreeQuietly(work);
    }
    return 0;
  }

  private int measureServe(PrintStream out) throws TfmnistException {
    serveFlags.validate(spec);
    SessionOptions options = session.options(spec, spec.commandLine().getErr());
    Dataset test = data.loadTest(out);
    Path work = workDirectory();
    try {
      serveFlags.run(
          serve, test, options, data.directory(), CliLauncher.command(Main.class), work, out);
    } finally {
      DurableFiles.deleteTreeQuietly(work);
    }
    return 0;
  }

  private static Path workDirectory() throws TfmnistException {
    try {
      return Files.createTempDirectory("tfmnist-benchmark-");
    } catch (IOException e) {
      throw new TfmnistException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

  private int printProfile(PrintStream out, DataSplits splits) throws TfmnistException {
    List<StepProfile.OpTime> times =
        StepProfile.measure(new DeepMnistCnn(1e-4f, 42), splits, batch, 0.5f, steps, 20);
    StepProfile.print(times, batch, steps, out);
    return 0;
  }
}
