package org.tfmnist.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The tutorials' and the write-ups' hyperparameters, as each training command's option defaults.
 */
abstract class TutorialDefaults implements IDefaultValueProvider {
  private final Map<String, String> values;

  TutorialDefaults(Map<String, String> values) {
    this.values = values;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec option ? values.get(option.longestName()) : null;
  }

  /** MNIST For ML Beginners. */
  static final class Beginners extends TutorialDefaults {
    Beginners() {
      super(
          Map.of(
              "--steps",
              "1000",
              "--batch",
              "100",
              "--learning-rate",
              "0.5",
              "--seed",
              "42",
              "--log-every",
              "100"));
    }
  }

  /** Deep MNIST for Experts. */
  static final class Experts extends TutorialDefaults {
    Experts() {
      super(
          Map.of(
              "--steps",
              "20000",
              "--batch",
              "50",
              "--learning-rate",
              "1e-4",
              "--keep-prob",
              "0.5",
              "--seed",
              "42",
              "--log-every",
              "100"));
    }
  }

  /** The model zoo: Keras' defaults (batch 32, Adam; its learning rate follows the optimiser). */
  static final class Zoo extends TutorialDefaults {
    Zoo() {
      super(
          Map.of(
              "--epochs",
              "10",
              "--batch",
              "32",
              "--optimizer",
              "adam",
              "--validation-split",
              "0",
              "--seed",
              "42",
              "--log-every",
              "100"));
    }
  }

  /** The digits write-up: 100 epochs of 128, gradient descent 0.001. */
  static final class Digits extends TutorialDefaults {
    Digits() {
      super(
          Map.of(
              "--epochs",
              "100",
              "--batch",
              "128",
              "--learning-rate",
              "0.001",
              "--seed",
              "42",
              "--log-every",
              "1000"));
    }
  }
}
