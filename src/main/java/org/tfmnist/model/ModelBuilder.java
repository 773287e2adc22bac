package org.tfmnist.model;

import org.tensorflow.Graph;

/** Builds one model's training graph into a {@link Graph} and returns its {@link ModelGraph}. */
public interface ModelBuilder {
  /** The model's short name, used in run directories and exported graph file names. */
  String name();

  /** Builds the graph in one process, with no device placement. */
  default ModelGraph build(Graph graph) {
    return build(graph, DevicePlacement.LOCAL);
  }

  /** Builds the graph with its ops created through {@code placement}. */
  ModelGraph build(Graph graph, DevicePlacement placement);
}
