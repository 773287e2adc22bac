package org.tfmnist.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.MnistShape;
import org.tfmnist.runtime.SessionOptions;

/**
 * A SavedModel's bare throughput: {@code serving_default} run on one batch of images after another
 * in this JVM with one TensorFlow thread, no server in between: the most a server on the same CPU
 * could answer.
 */
final class BarePredict {
  private BarePredict() {}

  /** Images/s of {@code model} at batches of {@code batch} test images, for {@code seconds}. */
  static double imagesPerSecond(Path model, Dataset images, int batch, double seconds)
      throws TfmnistException {
    int n = Math.min(batch, images.size());
    float[] pixels = Arrays.copyOf(images.images(), n * MnistShape.PIXELS);
    try (Predictor predictor = Predictor.load(model, new SessionOptions(1, 1, false))) {
      long warm = System.nanoTime() + (long) (Math.min(2, seconds) * 1e9);
      while (System.nanoTime() < warm) {
        predictor.predict(pixels, n);
      }
      long done = 0;
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      do {
        predictor.predict(pixels, n);
        done += n;
      } while (System.nanoTime() < end);
      return done / ((System.nanoTime() - start) / 1e9);
    }
  }
}
