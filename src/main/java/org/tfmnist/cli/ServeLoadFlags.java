package org.tfmnist.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.BatchingParametersFile;
import org.tfmnist.serving.LoadOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code serve} loads, polls and batches: TF Serving's {@code --saved_model_tags}, {@code
 * --enable_model_warmup}, {@code --max_num_load_retries}, {@code --load_retry_interval_micros},
 * {@code --num_load_threads}, {@code --num_unload_threads}, {@code
 * --allow_version_labels_for_unavailable_models}, {@code --file_system_poll_wait_seconds}, {@code
 * --model_config_file_poll_wait_seconds}, {@code --enable_batching} and {@code
 * --batching_parameters_file}; tfmnist's {@code --max_batch_size}, {@code --batch_timeout_micros}
 * and {@code --num_batch_threads} override the batching file's values.
 */
final class ServeLoadFlags {
  @Option(
      names = "--saved_model_tags",
      paramLabel = "TAGS",
      defaultValue = "serve",
      description = "Comma-separated tags of the MetaGraph to load (default: ${DEFAULT-VALUE}).")
  String tags;

  @Option(
      names = "--enable_model_warmup",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "true",
      converter = TfBoolean.class,
      description =
          "Run assets.extra/tf_serving_warmup_requests before a version serves"
              + " (default: ${DEFAULT-VALUE}).")
  boolean warmup;

  @Option(
      names = "--max_num_load_retries",
      paramLabel = "N",
      defaultValue = "5",
      description = "Retries of a version that fails to load (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--load_retry_interval_micros",
      paramLabel = "US",
      defaultValue = "60000000",
      description = "Wait between load retries (default: ${DEFAULT-VALUE}, one minute).")
  long retryMicros;

  @Option(
      names = "--num_load_threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Threads loading versions (default: ${DEFAULT-VALUE}: loads run one by one).")
  int loadThreads;

  @Option(
      names = "--num_unload_threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Threads unloading versions (default: ${DEFAULT-VALUE}: one).")
  int unloadThreads;

  @Option(
      names = "--allow_version_labels_for_unavailable_models",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "false",
      converter = TfBoolean.class,
      description = "Let version_labels name versions not loaded yet (default: ${DEFAULT-VALUE}).")
  boolean labelsForUnavailable;

  @Option(
      names = "--file_system_poll_wait_seconds",
      paramLabel = "S",
      defaultValue = "1",
      description = "How often to look for new versions; 0: never (default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(
      names = "--model_config_file_poll_wait_seconds",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "How often to re-read --model_config_file; 0: never (default:"
              + " ${DEFAULT-VALUE}). A bad file is logged and the old config kept.")
  int configPollSeconds;

  @Option(
      names = "--enable_batching",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "false",
      converter = TfBoolean.class,
      description = "Merge concurrent requests into one session run (default: ${DEFAULT-VALUE}).")
  boolean batching;

  @Option(
      names = "--batching_parameters_file",
      paramLabel = "FILE",
      description =
          "TF Serving's text-format BatchingParameters (max_batch_size,"
              + " batch_timeout_micros, num_batch_threads, max_enqueued_batches, allowed_batch_sizes,"
              + " ...); needs --enable_batching.")
  Path batchingFile;

  @Option(
      names = "--max_batch_size",
      paramLabel = "N",
      description = "Rows per batch at most (default: the file's, else 1000 as TF Serving).")
  Integer maxBatchSize;

  @Option(
      names = "--batch_timeout_micros",
      paramLabel = "US",
      description = "How long a batch waits for more requests (default: the file's, else 0).")
  Long batchTimeoutMicros;

  @Option(
      names = "--num_batch_threads",
      paramLabel = "N",
      description = "Batches run at once (default: the file's, else one per core).")
  Integer batchThreads;

  /** How every version loads, its session as {@code session} says. */
  LoadOptions load(CommandSpec spec, SessionOptions session, boolean methodNameCheck) {
    if (retries < 0 || loadThreads < 0 || unloadThreads < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--max_num_load_retries, --num_load_threads and --num_unload_threads must be >= 0");
    }
    Set<String> tagSet =
        Arrays.stream(tags.split(","))
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .collect(Collectors.toSet());
    if (tagSet.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--saved_model_tags: name one tag or more");
    }
    return new LoadOptions(
        session,
        tagSet,
        warmup,
        retries,
        Duration.ofNanos(Math.max(0, retryMicros) * 1000),
        loadThreads,
        unloadThreads,
        labelsForUnavailable,
        methodNameCheck);
  }

  /** The batching flags and file as TF Serving reads them. */
  BatchingOptions batching(CommandSpec spec) throws TfmnistException {
    if (!batching) {
      if (batchingFile != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--batching_parameters_file is set without setting --enable_batching to true");
      }
      return BatchingOptions.OFF;
    }
    BatchingOptions b =
        batchingFile == null
            ? BatchingOptions.tfServingDefaults()
            : BatchingParametersFile.read(batchingFile);
    b =
        b.with(
            maxBatchSize == null ? b.maxBatchSize() : maxBatchSize,
            batchTimeoutMicros == null ? b.batchTimeoutMicros() : batchTimeoutMicros,
            batchThreads == null ? b.threads() : batchThreads);
    if (b.maxBatchSize() < 1 || b.batchTimeoutMicros() < 0 || b.threads() < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--max_batch_size and --num_batch_threads must be >= 1, --batch_timeout_micros >= 0");
    }
    if (!b.allowedBatchSizes().isEmpty()
        && b.allowedBatchSizes().get(b.allowedBatchSizes().size() - 1) != b.maxBatchSize()) {
      throw new ParameterException(
          spec.commandLine(),
          "--max_batch_size "
              + b.maxBatchSize()
              + ": the file's allowed_batch_sizes must end in it");
    }
    return b;
  }

  /** The base paths' poll interval. */
  Duration pollWait(CommandSpec spec) {
    if (pollSeconds < 0 || configPollSeconds < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--file_system_poll_wait_seconds and --model_config_file_poll_wait_seconds must be >= 0");
    }
    return Duration.ofSeconds(pollSeconds);
  }

  /** The config file's poll interval. */
  Duration configPollWait() {
    return Duration.ofSeconds(configPollSeconds);
  }
}
