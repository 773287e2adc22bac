package org.tfmnist.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;

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

  /** Runs {@code rounds} of bare loop then Trainer, {@code steps} each, after {@code warmup} steps. */
  public static Figures run(
      ModelBuilder builder, DataSplits data, int batch, float keepProb, int steps, int warmup, int rounds)
      throws TfmnistException {
    double[] bare = new double[rounds];
    double[] trainer = new double[rounds];
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph);
      try (Session session = SessionOptions.standard().open(graph);
          BatchFeed feed = BatchFeed.firstTrainingBatch(data, batch);
          TFloat32 keep = TFloat32.scalarOf(keepProb)) {
        session.initialize();
        bareLoop(session, model, feed, keep, warmup);
        TrainingPlan plan = new TrainingPlan(steps, batch, keepProb, 1, Integer.MAX_VALUE, 1000);
        for (int r = 0; r < rounds; r++) {
          long start = System.nanoTime();
          bareLoop(session, model, feed, keep, steps);
          bare[r] = (double) steps * batch / ((System.nanoTime() - start) / 1e9);
          trainer[r] = new Trainer(model, session, List.of()).fit(data, plan, 0, 0).examplesPerSecond();
        }
      }
    }
    return new Figures(bare, trainer);
  }

  /** A model and the session options to train it with, for {@link #interleaved}. */
  public record Setup(ModelBuilder builder, SessionOptions options) {}

  /**
   * Bare-loop examples/s of each setup, per round: every setup gets its own graph and session,
   * is warmed up by {@code warmup} steps, and the rounds alternate between the setups, so they
   * all see the same machine. Returns [setup][round].
   */
  public static double[][] interleaved(
      List<Setup> setups, DataSplits data, int batch, float keepProb, int steps, int warmup, int rounds)
      throws TfmnistException {
    double[][] figures = new double[setups.size()][rounds];
    List<Graph> graphs = new ArrayList<>();
    List<Session> sessions = new ArrayList<>();
    List<ModelGraph> models = new ArrayList<>();
    try (BatchFeed feed = BatchFeed.firstTrainingBatch(data, batch);
        TFloat32 keep = TFloat32.scalarOf(keepProb)) {
      for (Setup setup : setups) {
        Graph graph = new Graph();
        graphs.add(graph);
        models.add(setup.builder().build(graph));
        Session session = setup.options().open(graph);
        sessions.add(session);
        session.initialize();
        bareLoop(session, models.get(models.size() - 1), feed, keep, warmup);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < setups.size(); i++) {
          long start = System.nanoTime();
          bareLoop(sessions.get(i), models.get(i), feed, keep, steps);
          figures[i][r] = (double) steps * batch / ((System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      sessions.forEach(Session::close);
      graphs.forEach(Graph::close);
    }
    return figures;
  }

  private static void bareLoop(Session session, ModelGraph model, BatchFeed feed, TFloat32 keep, int steps) {
    for (int i = 0; i < steps; i++) {
      try (Result ignored = feed.trainingStep(session, model, keep).run()) {
        // nothing fetched: the bare cost of one training step
      }
    }
  }
}
