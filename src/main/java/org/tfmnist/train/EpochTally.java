package org.tfmnist.train;

/** The running sums of one epoch's training batches: loss and accuracy weighted by rows. */
final class EpochTally {
  private double loss;
  private double correct;
  private long examples;

  void add(double batchLoss, double batchAccuracy, int rows) {
    loss += batchLoss * rows;
    correct += batchAccuracy * rows;
    examples += rows;
  }

  double meanLoss() {
    return examples > 0 ? loss / examples : Double.NaN;
  }

  double meanAccuracy() {
    return examples > 0 ? correct / examples : Double.NaN;
  }

  void reset() {
    loss = 0;
    correct = 0;
    examples = 0;
  }
}
