package org.tfmnist.bench;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.BatchFeed;

/**
 * One model trained on one fixed batch, as the benchmarks and the step profile run it: its graph,
 * an initialised session, the first training batch and the dropout keep probability, closed
 * together.
 */
final class BareLoop implements AutoCloseable {
  final ModelGraph model;
  final Session session;
  private final int batch;
  private final Graph graph;
  private final BatchFeed feed;
  private final TFloat32 keep;

  private BareLoop(
      Graph graph, ModelGraph model, Session session, BatchFeed feed, TFloat32 keep, int batch) {
    this.graph = graph;
    this.model = model;
    this.session = session;
    this.feed = feed;
    this.keep = keep;
    this.batch = batch;
  }

  /**
   * Builds {@code builder}'s model in a new graph and session with {@code options}, on the first
   * {@code batch} examples.
   */
  static BareLoop open(
      ModelBuilder builder, SessionOptions options, DataSplits data, int batch, float keepProb) {
    Graph graph = new Graph();
    Session session = null;
    BatchFeed feed = null;
    TFloat32 keep = null;
    try {
      ModelGraph model = builder.build(graph);
      session = options.open(graph);
      feed = BatchFeed.firstTrainingBatch(data, batch);
      keep = TFloat32.scalarOf(keepProb);
      session.initialize();
      return new BareLoop(graph, model, session, feed, keep, batch);
    } catch (RuntimeException e) {
      closeAll(keep, feed, session, graph);
      throw e;
    }
  }

  /** One training step on the fixed batch, to run (nothing fetched). */
  Session.Runner step() {
    return feed.trainingStep(session, model, keep);
  }

  /** Runs {@code steps} training steps, fetching nothing; returns examples per second. */
  double run(int steps) {
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      try (Result ignored = step().run()) {
        // nothing fetched: the bare cost of one training step
      }
    }
    return (double) steps * batch / ((System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() {
    closeAll(keep, feed, session, graph);
  }

  private static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource != null) {
        try {
          resource.close();
        } catch (Exception e) {
          // native handles: nothing more to do than try the others
        }
      }
    }
  }
}
