package org.tfmnist.serving;

import java.util.List;

/**
 * TF Serving's batching: {@code --enable_batching} and the {@code BatchingParameters} of {@code
 * --batching_parameters_file} ({@link BatchingParametersFile}). A batch holds at most {@code
 * maxBatchSize} rows, waits up to {@code batchTimeoutMicros} after its first request for more,
 * {@code threads} batches run at once, and at most {@code maxEnqueuedBatches} batches wait for a
 * thread. {@code allowedBatchSizes} (increasing, the last equal to {@code maxBatchSize}; empty: any
 * size) are the sizes a batch is padded up to; {@code padVariableLengthInputs} pads inputs whose
 * other dimensions differ to the largest; {@code threadPoolName} names the batch threads.
 */
public record BatchingOptions(
    boolean enabled,
    int maxBatchSize,
    long batchTimeoutMicros,
    int threads,
    int maxEnqueuedBatches,
    List<Integer> allowedBatchSizes,
    boolean padVariableLengthInputs,
    String threadPoolName) {
  /**
   * TF Serving's {@code max_batch_size} when the file leaves it out: {@code
   * SharedBatchScheduler::QueueOptions::input_batch_size_limit} (tensorflow/core/kernels/
   * batching_util/shared_batch_scheduler.h).
   */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1000;

  /** TF Serving's {@code batch_timeout_micros} default (the same {@code QueueOptions}). */
  public static final long DEFAULT_BATCH_TIMEOUT_MICROS = 0;

  /** TF Serving's {@code max_enqueued_batches} default (the same {@code QueueOptions}). */
  public static final int DEFAULT_MAX_ENQUEUED_BATCHES = 10;

  /**
   * The thread pool name TF Serving's server sets when {@code --enable_batching} has no file
   * (tensorflow_serving/model_servers/server.cc).
   */
  public static final String DEFAULT_THREAD_POOL_NAME = "model_server_batch_threads";

  /** No batching: every request is its own session run. */
  public static final BatchingOptions OFF =
      new BatchingOptions(false, 1, 0, 1, DEFAULT_MAX_ENQUEUED_BATCHES, List.of(), false, "");

  /** Copies the list; checks nothing (the parser and the flags check what users give). */
  public BatchingOptions {
    allowedBatchSizes = List.copyOf(allowedBatchSizes);
    threadPoolName = threadPoolName == null ? "" : threadPoolName;
  }

  /**
   * The four batching settings tfmnist had before the batching file; the rest as TF Serving's
   * defaults.
   */
  public BatchingOptions(boolean enabled, int maxBatchSize, long batchTimeoutMicros, int threads) {
    this(
        enabled,
        maxBatchSize,
        batchTimeoutMicros,
        threads,
        DEFAULT_MAX_ENQUEUED_BATCHES,
        List.of(),
        false,
        DEFAULT_THREAD_POOL_NAME);
  }

  /**
   * What TF Serving runs with {@code --enable_batching} and no {@code --batching_parameters_file}:
   * its server sets only {@code thread_pool_name} ("model_server_batch_threads"), and every other
   * field takes the scheduler's default (tensorflow/core/kernels/batching_util/
   * shared_batch_scheduler.h: {@code max_batch_size} 1000, {@code batch_timeout_micros} 0, {@code
   * max_enqueued_batches} 10, {@code num_batch_threads} {@code port::MaxParallelism()}, one per
   * core; tensorflow_serving/servables/tensorflow/bundle_factory_util.cc applies them).
   */
  public static BatchingOptions tfServingDefaults() {
    return new BatchingOptions(
        true,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_BATCH_TIMEOUT_MICROS,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_MAX_ENQUEUED_BATCHES,
        List.of(),
        false,
        DEFAULT_THREAD_POOL_NAME);
  }

  /**
   * Requests that may wait for a batch: {@code maxEnqueuedBatches * maxBatchSize} rows, as TF
   * Serving's queue bounds them (0 when batching is off).
   */
  public long queuedRowsBound() {
    return enabled ? (long) maxEnqueuedBatches * maxBatchSize : 0;
  }

  /** As this, with another maximum batch size, timeout and thread count (tfmnist's own flags). */
  public BatchingOptions with(int maxBatchSize, long batchTimeoutMicros, int threads) {
    return new BatchingOptions(
        enabled,
        maxBatchSize,
        batchTimeoutMicros,
        threads,
        maxEnqueuedBatches,
        allowedBatchSizes,
        padVariableLengthInputs,
        threadPoolName);
  }
}
