package org.tfmnist.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Initial values for a model's weights, seeded: the graph-level {@code seed} (the run's {@code
 * --seed}) and a per-variable op seed counted up as variables are made, so the same seed gives the
 * same initial weights.
 */
final class SeededInit {
  private final long seed;
  private long nextOpSeed = 1;

  SeededInit(long seed) {
    this.seed = seed;
  }

  /** Keras' {@code glorot_uniform}: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
  Operand<TFloat32> glorotUniform(Ops tf, long fanIn, long fanOut, long... shape) {
    float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    Operand<TFloat32> unit =
        tf.random.randomUniform(
            tf.constant(shape),
            TFloat32.class,
            RandomUniform.seed(seed),
            RandomUniform.seed2(nextOpSeed++));
    return tf.math.mul(
        tf.math.sub(tf.math.mul(unit, tf.constant(2f)), tf.constant(1f)), tf.constant(limit));
  }

  static Operand<TFloat32> zeros(Ops tf, long... shape) {
    return tf.zeros(tf.constant(shape), TFloat32.class);
  }
}
