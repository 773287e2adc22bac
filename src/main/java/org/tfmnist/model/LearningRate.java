package org.tfmnist.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An optimiser's learning rate as a graph op: {@code constant} (the tutorials': one {@code
 * tf.constant}, the graph they build) or {@code cosine}, {@code tf.train.cosine_decay} from {@code
 * initial} to 0 over {@code decaySteps}, computed from the graph's global step, so a resumed run
 * continues the schedule where its checkpoint left it.
 */
public record LearningRate(float initial, LearningRateSchedule schedule, long decaySteps) {

  /** Checks that a cosine schedule has steps to decay over. */
  public LearningRate {
    java.util.Objects.requireNonNull(schedule, "schedule");
    if (schedule == LearningRateSchedule.COSINE && decaySteps < 1) {
      throw new IllegalArgumentException(
          "a cosine schedule needs decaySteps >= 1, got " + decaySteps);
    }
  }

  /** The tutorials' fixed rate. */
  public static LearningRate constant(float rate) {
    return new LearningRate(rate, LearningRateSchedule.CONSTANT, 0);
  }

  /** {@code initial * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps))}. */
  public static LearningRate cosine(float initial, long decaySteps) {
    return new LearningRate(initial, LearningRateSchedule.COSINE, decaySteps);
  }

  /** The rate at {@code step}, as the graph computes it (for tests and the console). */
  public double at(long step) {
    if (schedule == LearningRateSchedule.CONSTANT) {
      return initial;
    }
    double progress = Math.min(step, decaySteps) / (double) decaySteps;
    return initial * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** The rate op for the step held in {@code globalStep} (read before the step's updates). */
  public Operand<TFloat32> build(Ops tf, Operand<TInt64> globalStep) {
    if (schedule == LearningRateSchedule.CONSTANT) {
      return tf.constant(initial);
    }
    Ops lr = tf.withSubScope("learning_rate");
    Operand<TFloat32> progress =
        lr.math.div(
            lr.math.minimum(
                lr.dtypes.cast(globalStep, TFloat32.class), lr.constant((float) decaySteps)),
            lr.constant((float) decaySteps));
    Operand<TFloat32> cosine = lr.math.cos(lr.math.mul(progress, lr.constant((float) Math.PI)));
    return lr.withName("value")
        .math
        .mul(lr.constant(initial * 0.5f), lr.math.add(lr.constant(1f), cosine));
  }
}
