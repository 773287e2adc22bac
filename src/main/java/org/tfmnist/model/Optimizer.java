package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Turns a loss into one training op, as {@code optimizer.minimize(loss)} does in TF1. */
public interface Optimizer {
  /**
   * Returns an op that applies one update to {@code variables} and then adds one to {@code
   * globalStep}.
   */
  Op minimize(
      Ops tf,
      Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep);
}
