package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ServeBenchmark;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.train.ResidentMemoryProbe;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingBenchmark;
import org.tfmnist.train.TrainingPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prints the tutorial CNN's training speed (Trainer vs bare loop) or its memory over a long run. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Speed: examples/s of the experts CNN trained by a bare session.run loop and by the Trainer,"
          + " alternated in one process, and their ratio.",
      "--memory: resident memory every 1,000 steps of a long experts run instead.",
      "--serve MODEL_DIR: serve's requests/s and p50/p99 latency from 1, 8, 32 and 64 clients, batching off and on."
    })
final class BenchmarkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "Steps per timed loop; with --memory, steps of the run (default: ${DEFAULT-VALUE}; 5000 is a good --memory run).")
  int steps;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "Bare/Trainer rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "50", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--memory", description = "Measure resident memory over one run of --steps steps instead of speed.")
  boolean memory;

  @Option(names = "--serve", paramLabel = "MODEL_DIR",
      description = "Measure serve instead: requests/s and p50/p99 latency of single-image predict requests from 1, 8, 32 and 64"
          + " clients, batching off and on, against this SavedModel.")
  Path serve;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "5", description = "With --serve: seconds per row (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--max_batch_size", paramLabel = "N", defaultValue = "64", description = "With --serve: batching's --max_batch_size (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(names = "--batch_timeout_micros", paramLabel = "US", defaultValue = "2000",
      description = "With --serve: batching's --batch_timeout_micros (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = System.out;
    if (steps < 1 || rounds < 1 || batch < 1) {
      throw new ParameterException(spec.commandLine(), "--steps, --rounds and --batch must be >= 1");
    }
    if (memory && (steps < 2000 || steps % 1000 != 0)) {
      throw new ParameterException(spec.commandLine(),
          "--memory samples every 1,000 steps: give --steps as a multiple of 1000, at least 2000 (e.g. 5000)");
    }
    if (serve != null) {
      return measureServe(out);
    }
    DataSplits splits = data.loadAll(out);
    DeepMnistCnn cnn = new DeepMnistCnn(1e-4f, 42);
    if (memory) {
      return measureMemory(out, splits, cnn);
    }
    out.printf(Locale.ROOT, "experts CNN, batch %d, %d steps per loop, %d rounds, %d cores%n",
        batch, steps, rounds, Runtime.getRuntime().availableProcessors());
    TrainingBenchmark.Figures f = TrainingBenchmark.run(cnn, splits, batch, 0.5f, steps, 30, rounds);
    for (int r = 0; r < rounds; r++) {
      out.printf(Locale.ROOT, "round %d: bare loop %.0f examples/s, Trainer %.0f examples/s%n", r + 1, f.bare()[r], f.trainer()[r]);
    }
    out.printf(Locale.ROOT, "mean: bare loop %.0f examples/s, Trainer %.0f examples/s, Trainer/bare %.3f%n",
        TrainingBenchmark.Figures.mean(f.bare()), TrainingBenchmark.Figures.mean(f.trainer()), f.ratio());
    return 0;
  }

  private int measureServe(PrintStream out) throws TfmnistException {
    if (seconds <= 0 || maxBatchSize < 1 || batchTimeoutMicros < 0) {
      throw new ParameterException(spec.commandLine(), "--seconds and --max_batch_size must be > 0, --batch_timeout_micros >= 0");
    }
    Dataset test = data.loadTest(out);
    out.printf(Locale.ROOT, "serve: %s, single-image predict requests over loopback HTTP, %.0f s per row, %d cores;"
        + " batching on: --max_batch_size %d --batch_timeout_micros %d%n",
        serve, seconds, Runtime.getRuntime().availableProcessors(), maxBatchSize, batchTimeoutMicros);
    BatchingOptions on = new BatchingOptions(true, maxBatchSize, batchTimeoutMicros, 2);
    List<ServeBenchmark.Row> rows = ServeBenchmark.run(serve, test, new int[] {1, 8, 32, 64}, seconds, on, out);
    double off32 = rows.stream().filter(r -> !r.batching() && r.clients() == 32).mapToDouble(ServeBenchmark.Row::perSecond).sum();
    double on32 = rows.stream().filter(r -> r.batching() && r.clients() == 32).mapToDouble(ServeBenchmark.Row::perSecond).sum();
    out.printf(Locale.ROOT, "32 clients: batching on/off throughput %.2fx%n", on32 / off32);
    return 0;
  }

  private int measureMemory(PrintStream out, DataSplits splits, DeepMnistCnn cnn) throws TfmnistException {
    ResidentMemoryProbe probe = new ResidentMemoryProbe(1000, out);
    try (Graph graph = new Graph()) {
      ModelGraph model = cnn.build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        TrainingPlan plan = new TrainingPlan(steps + 1L, batch, 0.5f, 42, 1000, 1000);
        new Trainer(model, session, List.of(probe)).fit(splits, plan, 0, 0);
      }
    }
    var samples = probe.samples();
    if (samples.containsKey(1000L) && samples.containsKey((long) steps)) {
      out.printf(Locale.ROOT, "resident memory at step %d / at step 1000: %.3f%n",
          steps, samples.get((long) steps) / (double) samples.get(1000L));
    }
    return 0;
  }
}
