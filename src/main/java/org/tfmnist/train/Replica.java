package org.tfmnist.train;

/**
 * Which share of a run's training this process does. A single-process run is {@link #SOLE}: it
 * takes every step itself, so its step counter advances by one per batch. A task of a cluster is
 * one of {@code count} replicas updating shared variables: it reads the shared global step after
 * each of its own steps, and only the chief ({@link #chief}) evaluates and ends epochs.
 *
 * @param count replicas training together (1: a single process)
 * @param index this replica's index, 0 for the chief
 * @param shared whether the variables are shared with other replicas (a cluster)
 * @param epochSize examples in one epoch of the whole run (all shards); 0: this process's training
 *     set
 */
public record Replica(int count, int index, boolean shared, int epochSize) {
  /** A single-process run. */
  public static final Replica SOLE = new Replica(1, 0, false, 0);

  public Replica {
    if (count < 1 || index < 0 || index >= count || epochSize < 0) {
      throw new IllegalArgumentException("replica " + index + " of " + count);
    }
  }

  /** Whether this replica evaluates, ends epochs and tells the file-writing listeners. */
  public boolean chief() {
    return index == 0;
  }
}
