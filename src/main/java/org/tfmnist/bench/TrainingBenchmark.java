package org.tfmnist.bench;

import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/**
 * Measures what the {@link Trainer} adds to TensorFlow's own work: the same model and session
 * trained by a bare loop ({@code session.run} on one preallocated batch, nothing else) and by the
 * Trainer (shuffling, feeding, metrics, listeners; test evaluations excluded), alternated so both
 * see the same machine.
 */
public final class TrainingBenchmark {
  /** Examples per second of each loop, per round. */
  public record Figures(double[] bare, double[] trainer) {
    /** Trainer throughput over bare-loop throughput, from the mean of the rounds. */
    public double ratio() {
      return mean(trainer) / mean(bare);
    }

    public static double mean(double[] values) {
      double sum = 0;
      for (double v : values) {
        sum += v;
      }
      return sum / values.length;
    }
  }

  private TrainingBenchmark() {}

  /**
   * Runs {@code rounds} of bare loop then Trainer, {@code steps} each, after {@code warmup} steps.
   */
  public static Figures run(
      ModelBuilder builder,
      DataSplits data,
      int batch,
      float keepProb,
      int steps,
      int warmup,
      int rounds)
      throws TfmnistException {
    double[] bare = new double[rounds];
    double[] trainer = new double[rounds];
    try (BareLoop loop = BareLoop.open(builder, SessionOptions.standard(), data, batch, keepProb)) {
      loop.run(warmup);
      TrainingPlan plan = new TrainingPlan(steps, batch, keepProb, 1, Integer.MAX_VALUE, 1000);
      for (int r = 0; r < rounds; r++) {
        bare[r] = loop.run(steps);
        trainer[r] =
            new Trainer(loop.model, loop.session, List.of())
                .fit(data, plan, 0, 0)
                .examplesPerSecond();
      }
    }
    return new Figures(bare, trainer);
  }

  /** A model and the session options to train it with, for {@link #interleaved}. */
  public record Setup(ModelBuilder builder, SessionOptions options) {}

  /**
   * Bare-loop examples/s of each setup, per round: every setup gets its own graph and session, is
   * warmed up by {@code warmup} steps, and the rounds alternate between the setups, so they all see
   * the same machine. Returns [setup][round].
   */
  public static double[][] interleaved(
      List<Setup> setups,
      DataSplits data,
      int batch,
      float keepProb,
      int steps,
      int warmup,
      int rounds)
      throws TfmnistException {
    double[][] figures = new double[setups.size()][rounds];
    List<BareLoop> loops = new ArrayList<>();
    try {
      for (Setup setup : setups) {
        BareLoop loop = BareLoop.open(setup.builder(), setup.options(), data, batch, keepProb);
        loops.add(loop);
        loop.run(warmup);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < setups.size(); i++) {
          figures[i][r] = loops.get(i).run(steps);
        }
      }
    } finally {
      loops.forEach(BareLoop::close);
    }
    return figures;
  }
}
