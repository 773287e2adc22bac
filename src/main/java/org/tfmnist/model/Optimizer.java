package org.tfmnist.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Turns a loss into one training op, as {@code optimizer.minimize(loss)} does in TF1: {@link
 * #gradients}, then {@link #applyGradients} (the two halves a synchronous-replicas wrapper puts its
 * gradient accumulators between).
 */
public interface Optimizer {
  /**
   * Returns an op that applies one update to {@code variables} and then adds one to {@code
   * globalStep}.
   */
  default Op minimize(
      Ops tf,
      Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep) {
    return applyGradients(tf, gradients(tf, loss, variables), variables, globalStep);
  }

  /**
   * Applies {@code gradients} (one per variable, in order) to {@code variables}; the returned op's
   * first output is {@code globalStep} after its increment by one.
   */
  Op applyGradients(
      Ops tf,
      List<Operand<TFloat32>> gradients,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep);

  /** {@code tf.gradients(loss, variables)}, one gradient per variable. */
  static List<Operand<TFloat32>> gradients(
      Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables) {
    Gradients grads = tf.gradients(loss, variables);
    List<Operand<TFloat32>> list = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      list.add(grads.<TFloat32>dy(i));
    }
    return list;
  }
}
