package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The tutorial's {@code tf.nn.dropout}: {@code x / keep * floor(keep + U[0,1))}, with U from a
 * stateless generator keyed by (seed, global step), so the masks depend only on the seed, the layer
 * and the step, and a resumed run draws the same masks as an uninterrupted one. With {@code
 * keep_prob} 1.0 (its default when not fed) the layer passes {@code x} through.
 */
final class Dropout {
  private static final long LAYER_STRIDE = 0x9E3779B97F4A7C15L;

  private final long seed;
  private final Operand<TInt64> globalStep;

  Dropout(long seed, Operand<TInt64> globalStep) {
    this.seed = seed;
    this.globalStep = globalStep;
  }

  /**
   * Dropout of the {@code layer}-th (0-based) dropout layer of a network; its output op is named
   * {@code name}.
   */
  Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> keepProb, int layer, String name) {
    Operand<TInt64> key =
        tf.stack(List.of(tf.constant(seed + layer * LAYER_STRIDE), tf.identity(globalStep)));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x), key, TFloat32.class);
    Operand<TFloat32> mask = tf.math.floor(tf.math.add(keepProb, uniform));
    return tf.withName(name).math.mul(tf.math.div(x, keepProb), mask);
  }
}
