package org.tfmnist.bench;

import java.nio.file.Path;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.Predictor;

/**
 * In-process latency of one-image predictions on a loaded SavedModel ({@link Predictor#predict} of
 * one 784-float image, tensor in and probabilities out), after a warm-up.
 */
public final class PredictLatency {
  /** Nearest-rank percentiles ({@link Percentiles}) of {@code samples} timed predictions, in ms. */
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
      return new Figures(
          samples, Percentiles.percentile(millis, 0.50), Percentiles.percentile(millis, 0.99));
    }
  }
}
