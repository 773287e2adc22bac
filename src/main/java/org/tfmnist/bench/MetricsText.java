package org.tfmnist.bench;

/**
 * Figures read from a server's Prometheus text: the mean size of the batches TF Serving's batching
 * session ran ({@code :tensorflow:serving:batching_session:processed_batch_size}) between two
 * scrapes, summed over every label set.
 */
final class MetricsText {
  private static final String PROCESSED =
      ":tensorflow:serving:batching_session:processed_batch_size";

  private MetricsText() {}

  /** The mean batch size of the batches run between {@code before} and {@code after}; 1 if none. */
  static double meanBatch(String before, String after) {
    double rows = total(after, PROCESSED + "_sum") - total(before, PROCESSED + "_sum");
    double batches = total(after, PROCESSED + "_count") - total(before, PROCESSED + "_count");
    return batches > 0 ? rows / batches : 1;
  }

  /** The sum of every sample of {@code name} (with or without labels) in {@code text}. */
  static double total(String text, String name) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
