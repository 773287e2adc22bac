package org.tfmnist.train.listeners;

import java.util.Locale;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingDivergedException;
import org.tfmnist.train.TrainingListener;

/**
 * Stops a run by throwing {@link TrainingDivergedException} at the first step whose training loss
 * is NaN or infinite, or at the end of an epoch whose test loss is: the weights are ruined, so that
 * epoch is not logged or checkpointed and the run exports nothing, while the CSV rows and the
 * checkpoint of earlier epochs stay. Put it first among the listeners, so no other one sees the bad
 * step or epoch.
 */
public final class DivergenceGuard implements TrainingListener {
  private final float learningRate;

  /** {@code learningRate}: the run's, named in the message as the thing to lower. */
  public DivergenceGuard(float learningRate) {
    this.learningRate = learningRate;
  }

  @Override
  public void onBatchEnd(long step, double loss, double accuracy) throws TrainingDivergedException {
    if (!Double.isFinite(loss)) {
      throw diverged("loss", loss, step);
    }
  }

  /**
   * The weights at an epoch's end are what a checkpoint would keep: they must give a finite test
   * loss.
   */
  @Override
  public void onEpochEnd(EpochMetrics metrics) throws TrainingDivergedException {
    if (!Double.isFinite(metrics.testLoss())) {
      throw diverged("test loss", metrics.testLoss(), metrics.step());
    }
  }

  private TrainingDivergedException diverged(String what, double value, long step) {
    return new TrainingDivergedException(
        step,
        String.format(
            Locale.ROOT,
            "training diverged: the %s is %s at step %d; start a new run with a lower --learning-rate"
                + " than %s (nothing exported; earlier epochs stay in metrics.csv and checkpoint/)",
            what,
            Double.isNaN(value) ? "NaN" : "infinite",
            step,
            learningRate));
  }
}
