package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A square {@code k x k} convolution, stride 1, SAME padding, plus bias (Keras {@code Conv2D}
 * without its activation): kernel {@code W} [k, k, in, out] Glorot-uniform (fan-in {@code k*k*in},
 * fan-out {@code k*k*out}), bias {@code b} [out] zeros, under the scope {@code name}.
 */
record Conv2d(Variable<TFloat32> w, Variable<TFloat32> b) {

  static Conv2d create(Ops tf, String name, long k, long in, long out, SeededInit init) {
    Ops scope = tf.withSubScope(name);
    return new Conv2d(
        scope
            .withName("W")
            .variable(init.glorotUniform(scope, k * k * in, k * k * out, k, k, in, out)),
        scope.withName("b").variable(SeededInit.zeros(scope, out)));
  }

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(conv2dSame(tf, x, w), b);
  }

  List<Variable<TFloat32>> variables() {
    return List.of(w, b);
  }

  /** {@code tf.nn.conv2d(x, W, strides=[1,1,1,1], padding='SAME')}. */
  static Operand<TFloat32> conv2dSame(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /**
   * 2x2 max-pooling with stride 2; {@code padding} "SAME" (the tutorial) or "VALID" (Keras'
   * default). Built as TF1's {@code tf.nn.max_pool} builds it, the {@code MaxPool} op with the
   * window and strides as attributes: TF Java's {@code tf.nn.maxPool} builds {@code MaxPoolV2},
   * which takes them as tensors, and oneDNN's graph rewrite leaves that one (and its gradient,
   * {@code MaxPoolGradV2}) to Eigen's slower kernels. The same values either way.
   */
  static Operand<TFloat32> maxPool2x2(Ops tf, Operand<TFloat32> x, String padding) {
    long[] window = {1, 2, 2, 1};
    Operation pool =
        tf.scope()
            .opBuilder("MaxPool", "MaxPool")
            .addInput(x.asOutput())
            .setAttr("ksize", window)
            .setAttr("strides", window)
            .setAttr("padding", padding)
            .build();
    return pool.output(0);
  }
}
