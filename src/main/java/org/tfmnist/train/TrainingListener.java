package org.tfmnist.train;

import org.tfmnist.TfmnistException;

/**
 * Hooks into a training run, in the style of Keras callbacks: console output, the metrics CSV and
 * checkpoints are listeners, not branches in the loop. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before the first step (of this process: after a restore when resuming). */
  default void onTrainBegin(TrainingContext context) throws TfmnistException {}

  /**
   * Every {@code plan.logEvery()} steps, the tutorial's "training accuracy": the accuracy on the
   * batch about to be trained, without dropout. {@code step} is that batch's 0-based index.
   */
  default void onProgress(long step, double batchAccuracy) {}

  /**
   * After every training step, with the loss and accuracy of the batch just trained (as trained,
   * with dropout; already fetched by the step, so this costs no session work). {@code step} is the
   * global step after it (1 for the run's first batch), as in {@link EpochMetrics#step()}. A
   * listener that throws stops the run before the step's epoch is logged or checkpointed.
   */
  default void onBatchEnd(long step, double loss, double accuracy) throws TfmnistException {}

  /** After the last step of each epoch (and of a final partial epoch). */
  default void onEpochEnd(EpochMetrics metrics) throws TfmnistException {}

  /** After the last step, once the final evaluation is known. */
  default void onTrainEnd(TrainingSummary summary) throws TfmnistException {}
}
