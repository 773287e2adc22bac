package org.tfmnist.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/**
 * {@code benchmark --memory}: one long training run with a {@link ResidentMemoryProbe}, resident
 * memory printed every {@link #EVERY} steps and, at the end, its growth from step 1,000 to the
 * last.
 */
public final class MemoryRun {
  /** Steps between two memory samples. */
  public static final int EVERY = 1000;

  private MemoryRun() {}

  /** Trains {@code builder}'s model for {@code steps} steps at {@code batch}, printing to out. */
  public static Map<Long, Long> measure(
      ModelBuilder builder, DataSplits splits, int steps, int batch, PrintStream out)
      throws TfmnistException {
    ResidentMemoryProbe probe = new ResidentMemoryProbe(EVERY, out);
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph);
      try (Session session = SessionOptions.standard().open(graph)) {
        session.initialize();
        TrainingPlan plan = new TrainingPlan(steps + 1L, batch, 0.5f, 42, EVERY, EVERY);
        new Trainer(model, session, List.of(probe)).fit(splits, plan, 0, 0);
      }
    }
    Map<Long, Long> samples = probe.samples();
    if (samples.containsKey((long) EVERY) && samples.containsKey((long) steps)) {
      out.printf(
          Locale.ROOT,
          "resident memory at step %d / at step 1000: %.3f%n",
          steps,
          samples.get((long) steps) / (double) samples.get((long) EVERY));
    }
    return samples;
  }
}
