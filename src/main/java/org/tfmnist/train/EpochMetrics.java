package org.tfmnist.train;

/**
 * One row of the per-epoch log. {@code epoch} counts from 1; {@code step} is the global step at
 * the epoch's end (a run cut short by {@code --steps} ends with a partial epoch). Training loss
 * and accuracy are the means over the epoch's batches (with dropout, as trained); test figures
 * are on the whole test set without dropout; {@code elapsedSeconds} counts from the run's start.
 */
public record EpochMetrics(
    int epoch,
    long step,
    double loss,
    double accuracy,
    double testLoss,
    double testAccuracy,
    double elapsedSeconds) {}
