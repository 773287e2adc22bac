package org.tfmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

@Tag("unit")
class SessionOptionsTest {
  @Test
  void theConfigProtoCarriesThreadPoolsAndXla() {
    ConfigProto config = new SessionOptions(2, 1, true).toConfig();
    assertEquals(2, config.getIntraOpParallelismThreads());
    assertEquals(1, config.getInterOpParallelismThreads());
    OptimizerOptions optimizer = config.getGraphOptions().getOptimizerOptions();
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1, optimizer.getGlobalJitLevel());
    assertTrue(optimizer.getCpuGlobalJit());

    ConfigProto standard = SessionOptions.standard().toConfig();
    assertEquals(
        Runtime.getRuntime().availableProcessors(), standard.getIntraOpParallelismThreads());
    assertEquals(
        OptimizerOptions.GlobalJitLevel.DEFAULT,
        standard.getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    assertFalse(standard.getGraphOptions().getOptimizerOptions().getCpuGlobalJit());
    assertThrows(IllegalArgumentException.class, () -> new SessionOptions(-1, 0, false));
  }

  @Test
  void bfloat16TurnsOnGrapplersOneDnnMixedPrecision() {
    assertEquals(
        RewriterConfig.Toggle.ON,
        SessionOptions.standard()
            .withBfloat16(true)
            .toConfig()
            .getGraphOptions()
            .getRewriteOptions()
            .getAutoMixedPrecisionOnednnBfloat16());
    assertEquals(
        RewriterConfig.Toggle.DEFAULT,
        SessionOptions.standard()
            .toConfig()
            .getGraphOptions()
            .getRewriteOptions()
            .getAutoMixedPrecisionOnednnBfloat16());
  }

  /** 1 + 2^-10 has no bfloat16 (8 significant bits): a product run in bfloat16 loses the 2^-10. */
  @Test
  void aBfloat16SessionComputesMatrixProductsInBfloat16() {
    assumeTrue(
        Precision.cpuHasBfloat16(),
        "this CPU has no native bfloat16: grappler leaves the graph in float32");
    float x = 1f + 1f / 1024;
    assertEquals(x, product(SessionOptions.standard(), x), 0f, "float32");
    assertEquals(1f, product(SessionOptions.standard().withBfloat16(true), x), 0f, "bfloat16");
  }

  private static float product(SessionOptions options, float x) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var input = tf.placeholder(TFloat32.class);
      // two products: grappler leaves graphs of under 4 nodes alone
      var product =
          tf.linalg.matMul(
              tf.linalg.matMul(input, tf.constant(new float[][] {{1f}})),
              tf.constant(new float[][] {{1f}}));
      try (Session session = options.open(graph);
          TFloat32 fed =
              TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(1, 1), d -> d.setFloat(x, 0, 0));
          Result result = session.runner().feed(input, fed).fetch(product).run()) {
        return ((TFloat32) result.get(0)).getFloat(0, 0);
      }
    }
  }

  @Test
  void aSessionOpenedWithTheOptionsComputes() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var sum = tf.math.add(tf.constant(2f), tf.constant(3f));
      try (Session session = new SessionOptions(1, 1, false).open(graph);
          Result result = session.runner().fetch(sum).run()) {
        assertEquals(5f, ((TFloat32) result.get(0)).getFloat());
      }
    }
  }
}
