package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.types.TFloat32;

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
    assertEquals(Runtime.getRuntime().availableProcessors(), standard.getIntraOpParallelismThreads());
    assertEquals(OptimizerOptions.GlobalJitLevel.DEFAULT, standard.getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    assertFalse(standard.getGraphOptions().getOptimizerOptions().getCpuGlobalJit());
    assertThrows(IllegalArgumentException.class, () -> new SessionOptions(-1, 0, false));
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
