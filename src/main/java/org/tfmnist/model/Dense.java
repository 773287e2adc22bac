package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer {@code x W + b} (Keras {@code Dense} without its activation): kernel
 * {@code W} [in, out] Glorot-uniform, bias {@code b} [out] zeros, created under the scope {@code
 * name} ({@code name/W}, {@code name/b}).
 */
record Dense(Variable<TFloat32> w, Variable<TFloat32> b) {

  static Dense create(Ops tf, String name, long in, long out, SeededInit init) {
    Ops scope = tf.withSubScope(name);
    return new Dense(
        scope.withName("W").variable(init.glorotUniform(scope, in, out, in, out)),
        scope.withName("b").variable(SeededInit.zeros(scope, out)));
  }

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  List<Variable<TFloat32>> variables() {
    return List.of(w, b);
  }
}
