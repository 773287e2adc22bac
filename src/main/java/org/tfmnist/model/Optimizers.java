package org.tfmnist.model;

import java.util.List;
import java.util.Locale;

/** The optimisers a run can name ({@code --optimizer}), with Keras' default learning rates. */
public final class Optimizers {
  public static final String SGD = "sgd";
  public static final String ADAM = "adam";
  public static final List<String> NAMES = List.of(SGD, ADAM);

  private Optimizers() {}

  /**
   * {@code sgd}: plain gradient descent (Keras default rate 0.01); {@code adam}: Adam with Keras'
   * defaults (rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
   */
  public static Optimizer create(String name, float learningRate) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case SGD -> new GradientDescent(learningRate);
      case ADAM -> new Adam(learningRate, 0.9f, 0.999f, 1e-7f);
      default ->
          throw new IllegalArgumentException(
              "unknown optimizer '" + name + "'; expected one of " + NAMES);
    };
  }

  /** Keras' default learning rate for {@code name}. */
  public static float defaultLearningRate(String name) {
    return name.toLowerCase(Locale.ROOT).equals(SGD) ? 0.01f : 0.001f;
  }
}
