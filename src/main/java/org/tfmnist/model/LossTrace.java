package org.tfmnist.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The cross-entropy of one example taken apart, as the digits write-up traces it by hand: {@code
 * log_softmax(logits)}, each class's term {@code -y_i * log_softmax_i}, and their sum, next to the
 * model's own {@code logits}, {@code probabilities} (softmax) and {@code cross_entropy}. Built into
 * the model's graph under the scope {@code trace}.
 */
public record LossTrace(
    ModelGraph model,
    Operand<TFloat32> logSoftmax,
    Operand<TFloat32> terms,
    Operand<TFloat32> termSum) {

  public static LossTrace build(ModelGraph model) {
    Ops tf = Ops.create(model.graph()).withSubScope("trace");
    Operand<TFloat32> logSoftmax = tf.withName("log_softmax").nn.logSoftmax(model.logits());
    Operand<TFloat32> terms =
        tf.withName("terms").math.neg(tf.math.mul(model.labels(), logSoftmax));
    Operand<TFloat32> sum = tf.withName("term_sum").reduceSum(terms, tf.constant(new int[] {0, 1}));
    return new LossTrace(model, logSoftmax, terms, sum);
  }
}
