package org.tfmnist.train;

/** Mean loss and accuracy of a model over a data set: {@code correct} of {@code count} right. */
public record Evaluation(double loss, long correct, long count) {
  public double accuracy() {
    return count == 0 ? 0 : (double) correct / count;
  }
}
