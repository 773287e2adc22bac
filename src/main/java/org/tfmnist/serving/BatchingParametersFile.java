package org.tfmnist.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tfmnist.TfmnistException;
import tensorflow.serving.SessionBundleConfig.BatchingParameters;

/**
 * TF Serving's {@code --batching_parameters_file}: a text-format {@code BatchingParameters}
 * (tensorflow_serving/servables/tensorflow/session_bundle_config.proto), read with protobuf's
 * {@link TextFormat} into the class generated from that message, checked as TF Serving checks it,
 * and mapped to {@link BatchingOptions}. Fields left out take TF Serving's defaults ({@link
 * BatchingOptions#tfServingDefaults()}). The wrapped fields are written {@code max_batch_size {
 * value: 128 }} as in TF Serving's docs; the bare {@code max_batch_size: 128} is accepted too.
 * Every error is one line naming the file and the field.
 */
public final class BatchingParametersFile {
  private static final Pattern BARE_WRAPPER =
      Pattern.compile(
          "\\b(max_batch_size|batch_timeout_micros|max_enqueued_batches|num_batch_threads"
              + "|max_execution_batch_size|enable_large_batch_splitting|thread_pool_name)"
              + "\\s*:\\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.+-]+)");

  private BatchingParametersFile() {}

  /** Reads and checks {@code file}. */
  public static BatchingOptions read(Path file) throws TfmnistException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TfmnistException(
          file + ": cannot read the batching parameters file: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses and checks a file's text; {@code source} names it in errors. */
  public static BatchingOptions parse(String text, String source) throws TfmnistException {
    BatchingParameters.Builder p = BatchingParameters.newBuilder();
    try {
      TextFormat.getParser().merge(BARE_WRAPPER.matcher(text).replaceAll("$1 { value: $2 }"), p);
    } catch (TextFormat.ParseException e) {
      throw new TfmnistException(
          source + ":" + e.getLine() + ":" + e.getColumn() + ": " + oneLine(e.getMessage()), e);
    }
    return map(p.build(), source);
  }

  /** Maps parsed parameters to options, with TF Serving's checks and errors. */
  public static BatchingOptions map(BatchingParameters p, String source) throws TfmnistException {
    BatchingOptions d = BatchingOptions.tfServingDefaults();
    long maxBatch = p.hasMaxBatchSize() ? p.getMaxBatchSize().getValue() : d.maxBatchSize();
    long timeout =
        p.hasBatchTimeoutMicros() ? p.getBatchTimeoutMicros().getValue() : d.batchTimeoutMicros();
    long enqueued =
        p.hasMaxEnqueuedBatches() ? p.getMaxEnqueuedBatches().getValue() : d.maxEnqueuedBatches();
    long threads = p.hasNumBatchThreads() ? p.getNumBatchThreads().getValue() : d.threads();
    positive(source, "max_batch_size", maxBatch);
    positive(source, "max_enqueued_batches", enqueued);
    positive(source, "num_batch_threads", threads);
    if (timeout < 0) {
      throw new TfmnistException(
          source + ": batch_timeout_micros must be non-negative; was " + timeout);
    }
    List<Integer> allowed = allowedSizes(p.getAllowedBatchSizesList(), maxBatch, source);
    if (p.hasEnableLargeBatchSplitting() && p.getEnableLargeBatchSplitting().getValue()) {
      throw new TfmnistException(
          source + ": enable_large_batch_splitting: not supported here; leave it out or false");
    }
    return new BatchingOptions(
        true,
        (int) maxBatch,
        timeout,
        (int) threads,
        (int) enqueued,
        allowed,
        p.getPadVariableLengthInputs(),
        p.hasThreadPoolName() ? p.getThreadPoolName().getValue() : d.threadPoolName());
  }

  /**
   * TF Serving's checks of {@code allowed_batch_sizes} (batching_session.cc and
   * bundle_factory_util.cc): positive, increasing, the last equal to {@code max_batch_size}.
   */
  private static List<Integer> allowedSizes(List<Long> sizes, long maxBatch, String source)
      throws TfmnistException {
    List<Integer> out = new ArrayList<>();
    long last = 0;
    for (long size : sizes) {
      if (size <= 0) {
        throw new TfmnistException(
            source + ": allowed_batch_sizes entries must be positive; got " + size);
      }
      if (size <= last) {
        throw new TfmnistException(
            source + ": allowed_batch_sizes entries must be monotonically increasing");
      }
      out.add((int) size);
      last = size;
    }
    if (!sizes.isEmpty() && last != maxBatch) {
      throw new TfmnistException(
          source
              + ": Last entry in allowed_batch_sizes must match max_batch_size; last entry was "
              + last
              + "; expected "
              + maxBatch);
    }
    return out;
  }

  private static void positive(String source, String field, long value) throws TfmnistException {
    if (value <= 0 || value > Integer.MAX_VALUE) {
      throw new TfmnistException(
          source + ": " + field + " must be positive (and below 2^31); was " + value);
    }
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return String.join(
        "; ", message.lines().map(l -> l.replaceFirst("^\\d+:\\d+:\\s*", "").strip()).toList());
  }
}
