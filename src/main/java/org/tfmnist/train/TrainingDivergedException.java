package org.tfmnist.train;

import org.tfmnist.TfmnistException;

/**
 * Training stopped because the loss became NaN or infinite: the model is ruined, so nothing is
 * exported; what was logged and checkpointed before that step is kept.
 */
public final class TrainingDivergedException extends TfmnistException {
  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The global step whose loss was not finite. */
  public long step() {
    return step;
  }
}
