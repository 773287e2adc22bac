package org.tfmnist.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;
import org.tfmnist.runtime.SessionOptions;

/**
 * What TensorFlow's CPU kernels reach on this machine: a chain of {@code chain} float32 matrix
 * products of {@code size} x {@code size} in one session (all cores, the project's session
 * options), 2 * size^3 FLOPs each. The matrix is a random normal scaled by 1/sqrt(size), so the
 * chain neither overflows nor underflows into slow denormals; only a scalar sum is fetched.
 */
public final class MatmulCeiling {
  /** The measured rate: the median of the timed runs, in GFLOP/s. */
  public record Rate(int size, int chain, int runs, double gflops) {}

  private MatmulCeiling() {}

  public static Rate measure(int size, int chain, int runs, SessionOptions options) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> a =
          tf.withName("a")
              .variable(
                  tf.math.mul(
                      tf.random.randomStandardNormal(
                          tf.constant(new long[] {size, size}),
                          TFloat32.class,
                          RandomStandardNormal.seed(1L),
                          RandomStandardNormal.seed2(2L)),
                      tf.constant((float) (1 / Math.sqrt(size)))));
      Operand<TFloat32> product = a;
      for (int i = 0; i < chain; i++) {
        product = tf.linalg.matMul(product, a);
      }
      Operand<TFloat32> sum = tf.reduceSum(product, tf.constant(new int[] {0, 1}));
      try (Session session = options.open(graph)) {
        session.initialize();
        run(session, sum); // warm-up: kernels chosen, buffers allocated
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
          long start = System.nanoTime();
          run(session, sum);
          seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        double flops = 2.0 * size * size * (double) size * chain;
        return new Rate(size, chain, runs, flops / Percentiles.median(seconds) / 1e9);
      }
    }
  }

  private static void run(Session session, Operand<TFloat32> sum) {
    try (org.tensorflow.Result result = session.runner().fetch(sum).run()) {
      float value = ((TFloat32) result.get(0)).getFloat();
      if (!Float.isFinite(value)) {
        throw new IllegalStateException("matmul chain overflowed: " + value);
      }
    }
  }
}
