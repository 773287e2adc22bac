package org.tfmnist.serving;

/**
 * Hears what the {@link BatchScheduler} does, at the points where TF Serving's batching session
 * records its {@code batching_session} metrics ({@link ServingMetrics} is the listener the server
 * uses). Only {@link #batch} must be given; the other hooks default to nothing.
 */
@FunctionalInterface
public interface BatchListener {
  /** A batch of {@code size} rows (padding included) about to run as one session call. */
  void batch(int size);

  /** One input tensor of {@code rows} rows of a request entering a batch queue. */
  default void batchInput(int rows) {}

  /** A batch of {@code executionSize} rows about to run, {@code padding} of them padding. */
  default void batchPadding(int padding, int executionSize) {}

  /** A request that waited {@code micros} in a queue of the batch threads {@code pool}. */
  default void batchQueuing(String pool, long micros) {}

  /** One session call of a batch made (whether it succeeded or not). */
  default void wrappedRun() {}
}
