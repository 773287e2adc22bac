package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.Predictor;

/**
 * In-process latency of one-image predictions on a loaded SavedModel ({@link Predictor#predict} of
 * one 784-float image, tensor in and probabilities out), after a warm-up.
 */
public final class PredictLatency {
  /** Percentiles of {@code samples} timed predictions, in milliseconds. */
  public record Figures(int samples, double p50Millis, double p99Millis) {}

  private PredictLatency() {}

  public static Figures measure(Path savedModel, float[] image, int warmup, int samples)
      throws TfmnistException {
    try (Predictor predictor = Predictor.load(savedModel)) {
      for (int i = 0; i < warmup; i++) {
        predictor.predict(image, 1);
      }
      double[] millis = new double[samples];
      for (int i = 0; i < samples; i++) {
        long start = System.nanoTime();
        predictor.predict(image, 1);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      return new Figures(samples, percentile(millis, 0.50), percentile(millis, 0.99));
    }
  }

  /** The nearest-rank percentile {@code q} (0..1) of {@code values}. */
  static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
