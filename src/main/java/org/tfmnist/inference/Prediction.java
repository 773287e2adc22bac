package org.tfmnist.inference;

/** One image's result: the predicted {@code digit} and the ten class probabilities. */
public record Prediction(int digit, float[] probabilities) {
  /** The probability of the predicted digit. */
  public float probability() {
    return probabilities[digit];
  }
}
