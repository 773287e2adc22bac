package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

@Tag("unit")
class FlopCountTest {
  /**
   * The tutorial CNN by hand: conv1 28x28x32 outputs of 5x5x1, conv2 14x14x64 of 5x5x32, fc1
   * 3136x1024, fc2 1024x10.
   */
  @Test
  void theTutorialCnnCountsAsItsLayersByHand() {
    long conv1 = 2L * 28 * 28 * 32 * 5 * 5 * 1;
    long conv2 = 2L * 14 * 14 * 64 * 5 * 5 * 32;
    long fc1 = 2L * 7 * 7 * 64 * 1024;
    long fc2 = 2L * 1024 * 10;
    try (Graph graph = new Graph()) {
      FlopCount count = FlopCount.of(new DeepMnistCnn(1e-4f, 1).build(graph));
      assertEquals(conv1 + conv2 + fc1 + fc2, count.forward());
      assertEquals(27_767_808L, count.forward());
      // backward: a gradient for every weight (same cost as its forward op) and for every layer's
      // input except the first convolution's (x is not trained)
      assertEquals(
          count.forward() + (conv1 + conv2 + fc1 + fc2) + (conv2 + fc1 + fc2), count.training());
    }
  }

  @Test
  void softmaxRegressionIsOneProductForwardAndOneForItsWeights() {
    try (Graph graph = new Graph()) {
      FlopCount count = FlopCount.of(new SoftmaxRegression(0.5f).build(graph));
      assertEquals(2L * 784 * 10, count.forward());
      assertEquals(2 * 2L * 784 * 10, count.training());
    }
  }
}
