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
 * {@code tf.train.AdamOptimizer}: {@code tf.gradients} + {@code applyAdam}, with an {@code m} and
 * {@code v} slot per variable and the shared {@code beta1_power}/{@code beta2_power}, which {@code
 * applyAdam} does not advance: they are multiplied by beta1/beta2 after the updates. The learning
 * rate is a constant (the tutorial) or a schedule of the global step.
 */
public record Adam(LearningRate learningRate, float beta1, float beta2, float epsilon)
    implements Optimizer {

  /** Adam with a constant learning rate. */
  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    this(LearningRate.constant(learningRate), beta1, beta2, epsilon);
  }

  /** TF's defaults: beta1 0.9, beta2 0.999, epsilon 1e-8. */
  public static Adam withLearningRate(float learningRate) {
    return withLearningRate(LearningRate.constant(learningRate));
  }

  /** TF's defaults with a learning-rate schedule. */
  public static Adam withLearningRate(LearningRate learningRate) {
    return new Adam(learningRate, 0.9f, 0.999f, 1e-8f);
  }

  @Override
  public Op applyGradients(
      Ops tf,
      List<Operand<TFloat32>> grads,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep) {
    Operand<TFloat32> lr = learningRate.build(tf, globalStep);
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> b2 = tf.constant(beta2);
    Operand<TFloat32> eps = tf.constant(epsilon);
    Variable<TFloat32> beta1Power = tf.withName("beta1_power").variable(tf.constant(beta1));
    Variable<TFloat32> beta2Power = tf.withName("beta2_power").variable(tf.constant(beta2));

    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> var = variables.get(i);
      String slot = var.op().name().replace('/', '_');
      Variable<TFloat32> m = tf.withName(slot + "_m").variable(zerosShaped(tf, var));
      Variable<TFloat32> v = tf.withName(slot + "_v").variable(zerosShaped(tf, var));
      updates.add(
          tf.train.applyAdam(var, m, v, beta1Power, beta2Power, lr, b1, b2, eps, grads.get(i)));
    }
    Ops afterUpdates = tf.withControlDependencies(updates);
    List<Op> finish = new ArrayList<>();
    finish.add(afterUpdates.assign(beta1Power, tf.math.mul(beta1Power, b1)));
    finish.add(afterUpdates.assign(beta2Power, tf.math.mul(beta2Power, b2)));
    return tf.withControlDependencies(finish)
        .withName("step")
        .assignAdd(globalStep, tf.constant(1L));
  }

  private static Operand<TFloat32> zerosShaped(Ops tf, Variable<TFloat32> var) {
    return tf.zeros(tf.constant(var.shape().asArray()), TFloat32.class);
  }
}
