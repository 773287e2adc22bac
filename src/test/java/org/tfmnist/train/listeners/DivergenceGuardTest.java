package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingDivergedException;

/**
 * The guard passes finite losses, however large, and stops at NaN and either infinity, in a step's
 * loss or an epoch's test loss.
 */
@Tag("unit")
class DivergenceGuardTest {
  private final DivergenceGuard guard = new DivergenceGuard(0.5f);

  @Test
  void finiteLossesPass() throws Exception {
    guard.onBatchEnd(1, 2.3, 0.1);
    guard.onBatchEnd(2, 3e38, 0.1);
    guard.onBatchEnd(3, 0, 1);
  }

  @Test
  void nanAndInfinityStopAtTheirStep() {
    TrainingDivergedException nan =
        assertThrows(TrainingDivergedException.class, () -> guard.onBatchEnd(7, Double.NaN, 0));
    assertEquals(7, nan.step());
    assertTrue(
        nan.getMessage()
            .startsWith(
                "training diverged: the loss is NaN at step 7; start a new run with a lower"
                    + " --learning-rate than 0.5"),
        nan.getMessage());
    assertTrue(
        assertThrows(
                TrainingDivergedException.class,
                () -> guard.onBatchEnd(8, Double.POSITIVE_INFINITY, 0))
            .getMessage()
            .contains("the loss is infinite at step 8"));
    assertThrows(
        TrainingDivergedException.class, () -> guard.onBatchEnd(9, Double.NEGATIVE_INFINITY, 0));
  }

  @Test
  void aNonFiniteTestLossStopsAtTheEpochsEndBeforeItIsLoggedOrCheckpointed() throws Exception {
    guard.onEpochEnd(new EpochMetrics(1, 80, 0.6, 0.8, 1e30, 0.1, 1.0));
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> guard.onEpochEnd(new EpochMetrics(2, 160, 0.6, 0.8, Double.NaN, 0.1, 2.0)));
    assertEquals(160, e.step());
    assertTrue(
        e.getMessage().startsWith("training diverged: the test loss is NaN at step 160;"),
        e.getMessage());
  }
}
