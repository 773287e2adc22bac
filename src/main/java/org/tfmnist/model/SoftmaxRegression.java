package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * "MNIST For ML Beginners": {@code y = softmax(x W + b)} with {@code W} [784,10] and {@code b} [10]
 * initialised to zeros, trained by gradient descent on the cross-entropy. The same model serves the
 * digits write-up on 8x8 images ({@code W} [64,10]) and the zoo's {@code softmax} with another
 * optimiser.
 *
 * <p>{@code sumOverBatch}: minimise the cross-entropy summed over the batch ({@code -reduce_sum(y_
 * * log(y))}, as the Beginners and digits write-ups' code does) instead of its mean. {@code
 * constantBias}: {@code b} is the constant {@code tf.zeros([10])}, as the digits write-up declares
 * it, so it is never trained and {@code W} is the only variable.
 */
public record SoftmaxRegression(
    Optimizer optimizer, InputShape input, boolean sumOverBatch, boolean constantBias)
    implements ModelBuilder {
  public static final String NAME = "softmax";

  /** Minimising the batch's mean cross-entropy, with a trained bias. */
  public SoftmaxRegression(Optimizer optimizer, InputShape input) {
    this(optimizer, input, false, false);
  }

  /** The tutorial's model: 28x28 images, gradient descent with {@code learningRate} (0.5). */
  public SoftmaxRegression(float learningRate) {
    this(new GradientDescent(learningRate), InputShape.MNIST);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelGraph build(Graph graph, DevicePlacement placement) {
    return GraphAssembly.assemble(
        placement.ops(graph),
        NAME,
        input,
        (tf, step) -> new Weights(tf, input.features(), constantBias),
        placement.optimizer(optimizer),
        sumOverBatch);
  }

  /** The tutorial's two variables (or {@code W} and a constant {@code b}), one matrix product. */
  private static final class Weights implements Network {
    private final Variable<TFloat32> w;
    private final Operand<TFloat32> b;

    Weights(Ops tf, int features, boolean constantBias) {
      w =
          tf.withName("W")
              .variable(
                  tf.zeros(tf.constant(new long[] {features, MnistShape.CLASSES}), TFloat32.class));
      Operand<TFloat32> zeros =
          tf.zeros(tf.constant(new long[] {MnistShape.CLASSES}), TFloat32.class);
      b = constantBias ? tf.withName("b").identity(zeros) : tf.withName("b").variable(zeros);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      return tf.math.add(tf.linalg.matMul(images, w), b);
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      return b instanceof Variable<TFloat32> v ? List.of(w, v) : List.of(w);
    }

    @Override
    public boolean usesDropout() {
      return false;
    }
  }
}
