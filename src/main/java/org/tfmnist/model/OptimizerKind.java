package org.tfmnist.model;

import org.tfmnist.EnumIds;

/**
 * The optimisers a run can name ({@code --optimizer}, {@code run.properties}' {@code optimizer}),
 * with Keras' default learning rates. {@link #id()} is the spelling on the command line and in
 * files.
 */
public enum OptimizerKind {
  /** Plain gradient descent (Keras' default rate 0.01). */
  SGD(0.01f),
  /** Adam with Keras' defaults (rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
  ADAM(0.001f);

  private final float defaultLearningRate;

  OptimizerKind(float defaultLearningRate) {
    this.defaultLearningRate = defaultLearningRate;
  }

  /** The name as written on the command line and in {@code run.properties} ("sgd", "adam"). */
  public String id() {
    return EnumIds.id(this);
  }

  @Override
  public String toString() {
    return id();
  }

  /** Keras' default learning rate for this optimiser. */
  public float defaultLearningRate() {
    return defaultLearningRate;
  }

  /** A new optimiser of this kind with a constant {@code learningRate}. */
  public Optimizer create(float learningRate) {
    return switch (this) {
      case SGD -> new GradientDescent(learningRate);
      case ADAM -> new Adam(learningRate, 0.9f, 0.999f, 1e-7f);
    };
  }

  /** The spellings accepted, comma separated ("sgd, adam"). */
  public static String ids() {
    return EnumIds.ids(OptimizerKind.class);
  }

  /**
   * The optimiser {@code text} names, in any case.
   *
   * @throws IllegalArgumentException naming the accepted spellings when it names none
   */
  public static OptimizerKind parse(String text) {
    return EnumIds.parse(OptimizerKind.class, text);
  }
}
