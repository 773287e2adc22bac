package org.tfmnist.train;

import java.util.Locale;

/**
 * Stops a run at the first step whose training loss is NaN or infinite, by throwing
 * {@link TrainingDivergedException}: the step's weights are already ruined, so the epoch is not
 * logged or checkpointed and the run exports nothing, while the CSV rows and the checkpoint of
 * earlier epochs stay. Put it first among the listeners, so no other one sees the bad step.
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
      throw new TrainingDivergedException(step, String.format(Locale.ROOT,
          "training diverged: the loss is %s at step %d; start a new run with a lower --learning-rate"
              + " than %s (nothing exported; metrics.csv and the last checkpoint are kept)",
          Double.isNaN(loss) ? "NaN" : "infinite", step, learningRate));
    }
  }
}
