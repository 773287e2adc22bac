package org.tfmnist.train;

/**
 * One row of the per-epoch log. {@code epoch} counts from 1; {@code step} is the global step at the
 * epoch's end (a run cut short by {@code --steps} ends with a partial epoch). Training loss and
 * accuracy are the means over the epoch's batches (with dropout, as trained); test figures are on
 * the whole test set without dropout; {@code elapsedSeconds} counts from the run's start.
 * Validation figures (Keras' {@code val_loss}, {@code val_accuracy}, on the held-out end of the
 * training set) are NaN when the run has no validation split.
 */
public record EpochMetrics(
    int epoch,
    long step,
    double loss,
    double accuracy,
    double testLoss,
    double testAccuracy,
    double elapsedSeconds,
    double valLoss,
    double valAccuracy) {

  /** A row without validation figures. */
  public EpochMetrics(
      int epoch,
      long step,
      double loss,
      double accuracy,
      double testLoss,
      double testAccuracy,
      double elapsedSeconds) {
    this(
        epoch,
        step,
        loss,
        accuracy,
        testLoss,
        testAccuracy,
        elapsedSeconds,
        Double.NaN,
        Double.NaN);
  }

  /** Whether the run holds out a validation split. */
  public boolean hasValidation() {
    return !Double.isNaN(valLoss);
  }
}
