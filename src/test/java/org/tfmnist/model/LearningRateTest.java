package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

@Tag("unit")
class LearningRateTest {
  /**
   * The graph's cosine schedule agrees with the formula at the start, middle, end and past the end.
   */
  @Test
  void cosineDecayInTheGraphFollowsTheGlobalStep() {
    LearningRate rate = LearningRate.cosine(1e-3f, 100);
    for (long step : new long[] {0, 25, 50, 100, 150}) {
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        var value = rate.build(tf, tf.constant(step));
        try (Session session = new Session(graph);
            Result result = session.runner().fetch(value).run()) {
          assertEquals(rate.at(step), ((TFloat32) result.get(0)).getFloat(), 1e-9, "step " + step);
        }
      }
    }
    assertEquals(1e-3, rate.at(0), 1e-9);
    assertEquals(5e-4, rate.at(50), 1e-9);
    assertEquals(0, rate.at(100), 1e-12);
    assertEquals(1e-4f, LearningRate.constant(1e-4f).at(12345), 0);
  }
}
