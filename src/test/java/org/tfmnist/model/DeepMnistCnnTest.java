package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tfmnist.TestData;
import org.tfmnist.data.MnistLoader;

@Tag("data")
class DeepMnistCnnTest {
  @Test
  void hasTheTutorialsLayersAndShapes() {
    try (Graph graph = new Graph()) {
      ModelGraph model = new DeepMnistCnn(1e-4f, 42).build(graph);
      for (String name :
          List.of(
              "x",
              "y_",
              "keep_prob",
              "x_image",
              "h_conv1",
              "h_pool1",
              "h_conv2",
              "h_pool2",
              "h_pool2_flat",
              "h_fc1",
              "h_fc1_drop",
              "probabilities",
              "classes")) {
        assertNotNull(graph.operation(name), "op " + name);
      }
      List<long[]> shapes =
          model.trainableVariables().stream().map(v -> v.shape().asArray()).toList();
      assertArrayEquals(new long[] {5, 5, 1, 32}, shapes.get(0));
      assertArrayEquals(new long[] {32}, shapes.get(1));
      assertArrayEquals(new long[] {5, 5, 32, 64}, shapes.get(2));
      assertArrayEquals(new long[] {64}, shapes.get(3));
      assertArrayEquals(new long[] {7 * 7 * 64, 1024}, shapes.get(4));
      assertArrayEquals(new long[] {1024}, shapes.get(5));
      assertArrayEquals(new long[] {1024, 10}, shapes.get(6));
      assertArrayEquals(new long[] {10}, shapes.get(7));
    }
  }

  @Test
  void initialWeightsFollowTheSeedAndTheTutorialsInitialisers() {
    float[] first = initialConvWeights(7);
    float[] again = initialConvWeights(7);
    float[] other = initialConvWeights(8);
    assertArrayEquals(first, again);
    assertFalse(java.util.Arrays.equals(first, other));
    for (float w : first) {
      // truncated normal, stddev 0.1: within two standard deviations
      assertEquals(0, w, 0.2 + 1e-6);
    }
  }

  private static float[] initialConvWeights(long seed) {
    try (Graph graph = new Graph()) {
      ModelGraph model = new DeepMnistCnn(1e-4f, seed).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        try (Result r =
            session
                .runner()
                .fetch(model.trainableVariables().get(0))
                .fetch(model.trainableVariables().get(1))
                .run()) {
          TFloat32 w = (TFloat32) r.get(0);
          TFloat32 b = (TFloat32) r.get(1);
          assertEquals(0.1f, b.getFloat(0), 0f);
          float[] values = new float[5 * 5 * 32];
          w.copyTo(DataBuffers.of(values, false, false));
          return values;
        }
      }
    }
  }

  @Test
  void adamAdvancesItsBetaPowersAndTheGlobalStep() throws Exception {
    var data = MnistLoader.load(TestData.mnistSmallDir()).train();
    try (Graph graph = new Graph()) {
      ModelGraph model = new DeepMnistCnn(1e-4f, 1).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        ModelSteps steps = new ModelSteps(session, model, data, 10);
        for (int i = 0; i < 3; i++) {
          steps.trainStep(i);
        }
        try (Result r =
            session
                .runner()
                .fetch("train/beta1_power")
                .fetch("train/beta2_power")
                .fetch(model.globalStep())
                .run()) {
          assertEquals(Math.pow(0.9, 4), ((TFloat32) r.get(0)).getFloat(), 1e-6);
          assertEquals(Math.pow(0.999, 4), ((TFloat32) r.get(1)).getFloat(), 1e-6);
          assertEquals(3L, ((TInt64) r.get(2)).getLong());
        }
      }
    }
  }
}
