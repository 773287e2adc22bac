package org.tfmnist.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@code tf.train.GradientDescentOptimizer}: {@code tf.gradients} + {@code applyGradientDescent}.
 */
public record GradientDescent(float learningRate) implements Optimizer {
  @Override
  public Op applyGradients(
      Ops tf,
      List<Operand<TFloat32>> grads,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep) {
    Operand<TFloat32> alpha = tf.constant(learningRate);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(tf.train.applyGradientDescent(variables.get(i), alpha, grads.get(i)));
    }
    return tf.withControlDependencies(updates)
        .withName("step")
        .assignAdd(globalStep, tf.constant(1L));
  }
}
