package org.tfmnist.serving;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.tfmnist.runtime.SessionOptions;

/**
 * How every version is loaded, from TF Serving's flags: its session ({@code
 * --tensorflow_intra_op_parallelism} ...), the SavedModel tags of the MetaGraph to load ({@code
 * --saved_model_tags}, "serve" by default), whether its warm-up requests run ({@code
 * --enable_model_warmup}), how often a failed load is retried and how long apart ({@code
 * --max_num_load_retries}, {@code --load_retry_interval_micros}), the threads that load and unload
 * versions ({@code --num_load_threads}: 0 loads one at a time on the thread that asks, N up to N at
 * once; {@code --num_unload_threads}: 0 as TF Serving is one), whether a new version label may name
 * a version not loaded yet ({@code --allow_version_labels_for_unavailable_models}), and whether a
 * signature's {@code method_name} must match the API called ({@code
 * --enable_signature_method_name_check}, off as in TF Serving).
 */
public record LoadOptions(
    SessionOptions session,
    Set<String> savedModelTags,
    boolean warmup,
    int maxLoadRetries,
    Duration loadRetryInterval,
    int loadThreads,
    int unloadThreads,
    boolean allowVersionLabelsForUnavailableModels,
    boolean signatureMethodNameCheck) {
  /** TF Serving's {@code kSavedModelTagServe}. */
  public static final String SERVE = "serve";

  /** TF Serving's {@code --max_num_load_retries} default. */
  public static final int TF_SERVING_LOAD_RETRIES = 5;

  /** TF Serving's {@code --load_retry_interval_micros} default: one minute. */
  public static final Duration TF_SERVING_RETRY_INTERVAL = Duration.ofMinutes(1);

  /** Copies the tags, sorted. */
  public LoadOptions {
    savedModelTags = Set.copyOf(new TreeSet<>(savedModelTags));
  }

  /**
   * {@code session}, the "serve" tag, warm-up on, no retry (a program or a test that opens a model
   * wants its error at once), one load and one unload thread, labels checked as TF Serving checks
   * them, no method-name check.
   */
  public static LoadOptions of(SessionOptions session) {
    return new LoadOptions(session, Set.of(SERVE), true, 0, Duration.ZERO, 0, 0, false, false);
  }

  /**
   * These options with {@code --allow_version_labels_for_unavailable_models} set to {@code allow}:
   * a new label (in the first config too) may then name a version not AVAILABLE yet.
   */
  public LoadOptions withVersionLabelsForUnavailableModels(boolean allow) {
    return new LoadOptions(
        session,
        savedModelTags,
        warmup,
        maxLoadRetries,
        loadRetryInterval,
        loadThreads,
        unloadThreads,
        allow,
        signatureMethodNameCheck);
  }

  /** As {@link #of(SessionOptions)} with {@link SessionOptions#standard()}. */
  public static LoadOptions defaults() {
    return of(SessionOptions.standard());
  }
}
