package org.tfmnist.model;

import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * Where a graph's ops are placed, decided by the {@link Ops} its builder is given: {@link #LOCAL}
 * (no device: one process, the committed graphs) or a cluster's placement, which puts variables on
 * parameter servers and may wrap the optimiser. Model builders only pass it on, so they never know
 * which.
 */
@FunctionalInterface
public interface DevicePlacement {
  /** Every op where TensorFlow puts it in one process: {@code Ops.create(graph)}. */
  DevicePlacement LOCAL = Ops::create;

  /** The op builder for {@code graph} under this placement. */
  Ops ops(Graph graph);

  /**
   * The optimiser the graph trains with: {@code base} itself, or {@code base} wrapped to update
   * shared variables in step with other replicas (synchronous replicas).
   */
  default Optimizer optimizer(Optimizer base) {
    return base;
  }
}
