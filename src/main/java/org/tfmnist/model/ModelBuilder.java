package org.tfmnist.model;

import org.tensorflow.Graph;

/** Builds one model's training graph into a {@link Graph} and returns its {@link ModelGraph}. */
public interface ModelBuilder {
  /** The model's short name, used in run directories and exported graph file names. */
  String name();

  ModelGraph build(Graph graph);
}
