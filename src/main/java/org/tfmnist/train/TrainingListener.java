package org.tfmnist.train;

import org.tfmnist.TfmnistException;

/**
 * Hooks into a training run, in the style of Keras callbacks: console output, the metrics CSV
 * and checkpoints are listeners, not branches in the loop. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before the first step (of this process: after a restore when resuming). */
  default void onTrainBegin(TrainingContext context) throws TfmnistException {}

  /**
   * Every {@code plan.logEvery()} steps, the tutorial's "training accuracy": the accuracy on the
   * batch about to be trained, without dropout. {@code step} is that batch's 0-based index.
   */
  default void onProgress(long step, double batchAccuracy) {}

  /** After the last step of each epoch (and of a final partial epoch). */
  default void onEpochEnd(EpochMetrics metrics) throws TfmnistException {}

  /** After the last step, once the final evaluation is known. */
  default void onTrainEnd(TrainingSummary summary) throws TfmnistException {}
}
