package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/** The zoo's models build, and count their trainable parameters as Keras does. */
@Tag("unit")
class ModelZooTest {
  /** Keras' model.summary() "Trainable params" for the same layers. */
  private static final Map<String, Long> KERAS_COUNTS =
      Map.of(
          "softmax", 7_850L,
          "cnn", 3_274_634L,
          "mlp16", 12_730L,
          "mlp512", 407_050L,
          "mlp2048", 1_628_170L,
          "cnn-small", 1_611_690L,
          "cnn-vgg", 1_066_410L);

  @Test
  void everyModelHasKerasParameterCount() {
    assertEquals(KERAS_COUNTS.keySet(), java.util.Set.copyOf(ModelZoo.names()));
    for (ModelZoo.Entry entry : ModelZoo.entries()) {
      assertEquals(KERAS_COUNTS.get(entry.name()), entry.parameterCount(), entry.name());
    }
  }

  @Test
  void dropoutModelsTrainWithKerasRateAndOthersWithout() {
    for (ModelZoo.Entry entry : ModelZoo.entries()) {
      try (Graph graph = new Graph()) {
        ModelGraph model = entry.builder(OptimizerKind.ADAM.create(1e-3f), 1).build(graph);
        assertEquals(entry.name(), model.name());
        assertEquals(model.usesDropout(), entry.keepProb() < 1f, entry.name());
        assertEquals(784, model.features());
        assertTrue(model.pixels() != null, entry.name() + " has the serving pixels input");
      }
    }
    assertEquals(0.75f, ModelZoo.find("cnn-vgg").orElseThrow().keepProb());
    assertFalse(ModelZoo.find("nope").isPresent());
  }

  @Test
  void digitsSoftmaxTakes64PixelsAndHasNoPixelsInput() {
    try (Graph graph = new Graph()) {
      ModelGraph model =
          new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, false)
              .build(graph);
      assertEquals(64, model.features());
      assertEquals(650, model.parameterCount());
      assertEquals(null, model.pixels());
    }
  }
}
