package org.tfmnist.serving;

/**
 * TF Serving's batching flags: {@code --enable_batching}, {@code --max_batch_size}, {@code
 * --batch_timeout_micros}, {@code --num_batch_threads}.
 */
public record BatchingOptions(
    boolean enabled, int maxBatchSize, long batchTimeoutMicros, int threads) {
  /** No batching: every request is its own session run. */
  public static final BatchingOptions OFF = new BatchingOptions(false, 1, 0, 1);
}
