package org.tfmnist.run;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.DevicePlacement;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.Replica;

/**
 * Where a run's graph lives and runs: {@link #LOCAL} (this process, today's single-process run) or
 * one task of a cluster (the {@code cluster} package). {@link TrainingRun} asks it how to place the
 * graph, how to open the session, which data to train on, and what to do once the variables are
 * ready and once the run is finished.
 */
public interface RunTarget {
  /** One process: no placement, an in-process session, all the data. */
  RunTarget LOCAL = new RunTarget() {};

  /** How the model's ops are created. */
  default DevicePlacement placement() {
    return DevicePlacement.LOCAL;
  }

  /** A session on {@code graph} (complete: the target may add its own ops first). */
  default Session open(Graph graph, SessionOptions options) {
    return options.open(graph);
  }

  /** This process's share of the training: all of it in one process. */
  default Replica replica(DataSplits splits) {
    return Replica.SOLE;
  }

  /** The data this process trains on (its shard in a cluster) and evaluates on. */
  default DataSplits shard(DataSplits splits, long seed) {
    return splits;
  }

  /** Whether the run's files are written here (single process, or the chief). */
  default boolean isChief() {
    return true;
  }

  /** What {@code run.properties} records about the target (e.g. where each variable lives). */
  default java.util.Map<String, String> describe(Graph graph) {
    return java.util.Map.of();
  }

  /** The chief, once it initialised or restored the variables and before it trains. */
  default void prepared(Session session) throws TfmnistException {}

  /** A non-chief task: blocks until the chief has initialised or restored the variables. */
  default void awaitVariables(Session session, ModelGraph model) throws TfmnistException {}

  /** The chief, once training and export are done: tells the other tasks. */
  default void finished(Session session) throws TfmnistException {}
}
