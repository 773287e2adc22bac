package org.tfmnist.train;

import org.tensorflow.Session;
import org.tfmnist.model.ModelGraph;

/**
 * What listeners may see of a run when it starts: the model, its live session (e.g. to save a
 * checkpoint), the plan, the size of an epoch, and the step the run starts from (0, or the
 * checkpoint's step when resumed) with the wall time earlier processes already spent on it, and
 * whether the run holds out a validation split.
 */
public record TrainingContext(
    ModelGraph model,
    Session session,
    TrainingPlan plan,
    int stepsPerEpoch,
    int trainSize,
    long startStep,
    double elapsedBefore,
    boolean validation) {

  /** A run without a validation split. */
  public TrainingContext(
      ModelGraph model,
      Session session,
      TrainingPlan plan,
      int stepsPerEpoch,
      int trainSize,
      long startStep,
      double elapsedBefore) {
    this(model, session, plan, stepsPerEpoch, trainSize, startStep, elapsedBefore, false);
  }
}
