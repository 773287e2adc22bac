package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A model's weights and its forward pass. The weights are created once; {@link #logits} may be
 * called more than once (with {@code tf} scoped apart) to wire another input to the same weights.
 */
public interface Network {
  /**
   * Logits [?, 10] for images [?, 784] (0..1); {@code keepProb} is the dropout keep probability.
   */
  Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb);

  /** The trainable weights, in a stable order. */
  List<Variable<TFloat32>> variables();

  /** Whether {@code keepProb} is used (the network has a dropout layer). */
  boolean usesDropout();
}
