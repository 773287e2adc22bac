package org.tfmnist.serving;

import java.util.List;

/**
 * TF Serving's batching parameters: {@code --enable_batching} and the {@code BatchingParameters} of
 * {@code --batching_parameters_file} (max_batch_size, batch_timeout_micros, num_batch_threads,
 * max_enqueued_batches, allowed_batch_sizes, pad_variable_length_inputs).
 */
public record BatchingOptions(
    boolean enabled,
    int maxBatchSize,
    long batchTimeoutMicros,
    int threads,
    int maxEnqueuedBatches,
    List<Integer> allowedBatchSizes,
    boolean padVariableLengthInputs) {
  /** No batching: every request is its own session run. */
  public static final BatchingOptions OFF = new BatchingOptions(false, 1, 0, 1);

  /** TF Serving's default bound on the batches waiting in one queue. */
  public static final int DEFAULT_MAX_ENQUEUED_BATCHES = 100;

  public BatchingOptions {
    allowedBatchSizes = List.copyOf(allowedBatchSizes);
  }

  /** The four flags, the other parameters at TF Serving's defaults. */
  public BatchingOptions(boolean enabled, int maxBatchSize, long batchTimeoutMicros, int threads) {
    this(
        enabled,
        maxBatchSize,
        batchTimeoutMicros,
        threads,
        DEFAULT_MAX_ENQUEUED_BATCHES,
        List.of(),
        false);
  }
}
