package org.tfmnist.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.MnistShape;
import org.tfmnist.runtime.SessionOptions;

/**
 * A SavedModel's bare throughput: {@code serving_default} run on one batch of images after another
 * with one TensorFlow thread, no server in between: the most a server on the same CPU could answer.
 * {@code benchmark --serve} measures it in a child JVM of its own ({@link #inChild}), pinned to the
 * server's CPU, so that neither its JIT compiler nor the clients' threads share that CPU.
 */
public final class BarePredict {
  /** How the child JVM prints its figure: this, then the images/s. */
  public static final String LINE = "bare images/s: ";

  private BarePredict() {}

  /**
   * {@link #imagesPerSecond} measured by {@code cli benchmark --bare-predict} started on the CPUs
   * of {@code cpus}, on the test images of {@code dataDir}.
   */
  static double inChild(
      List<String> cli, String cpus, Path model, Path dataDir, int batch, double seconds)
      throws TfmnistException {
    List<String> command = new ArrayList<>(cli);
    command.addAll(
        List.of(
            "benchmark",
            "--bare-predict=" + model.toAbsolutePath(),
            "--data-dir=" + dataDir.toAbsolutePath(),
            "--batch=" + batch,
            "--seconds=" + seconds));
    try {
      Process p =
          new ProcessBuilder(CpuAffinity.pinned(cpus, command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new TfmnistException("benchmark --bare-predict failed: " + tail(out));
      }
      for (String line : out.split("\n")) {
        if (line.startsWith(LINE)) {
          return Double.parseDouble(line.substring(LINE.length()).strip());
        }
      }
      throw new TfmnistException("benchmark --bare-predict printed no figure: " + tail(out));
    } catch (IOException e) {
      throw new TfmnistException("cannot start benchmark --bare-predict: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted", e);
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.substring(Math.max(0, t.length() - 1500));
  }

  /** Images/s of {@code model} at batches of {@code batch} test images, for {@code seconds}. */
  public static double imagesPerSecond(Path model, Dataset images, int batch, double seconds)
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
