package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * "MNIST For ML Beginners": {@code y = softmax(x W + b)} with {@code W} [784,10] and {@code b}
 * [10] initialised to zeros, trained by gradient descent on the cross-entropy.
 */
public record SoftmaxRegression(float learningRate) implements ModelBuilder {
  public static final String NAME = "softmax";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelGraph build(Graph graph) {
    return GraphAssembly.assemble(graph, NAME, (tf, step) -> new Weights(tf), new GradientDescent(learningRate));
  }

  /** The tutorial's two variables and its one matrix product. */
  private static final class Weights implements Network {
    private final Variable<TFloat32> w;
    private final Variable<TFloat32> b;

    Weights(Ops tf) {
      w = tf.withName("W").variable(tf.zeros(tf.constant(new long[] {MnistShape.PIXELS, MnistShape.CLASSES}), TFloat32.class));
      b = tf.withName("b").variable(tf.zeros(tf.constant(new long[] {MnistShape.CLASSES}), TFloat32.class));
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      return tf.math.add(tf.linalg.matMul(images, w), b);
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      return List.of(w, b);
    }

    @Override
    public boolean usesDropout() {
      return false;
    }
  }
}
