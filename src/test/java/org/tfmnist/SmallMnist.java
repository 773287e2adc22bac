package org.tfmnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/**
 * A cut of mnist-small (the first {@code train} / {@code test} images) as the four IDX files, for
 * quick runs.
 */
public final class SmallMnist {
  private SmallMnist() {}

  public static Path write(Path dir, int train, int test) throws Exception {
    DataSplits splits = MnistLoader.load(TestData.mnistSmallDir());
    Files.createDirectories(dir);
    write(dir, "train", splits.train(), train);
    write(dir, "t10k", splits.test(), test);
    return dir;
  }

  private static void write(Path dir, String prefix, Dataset data, int count) throws IOException {
    byte[] pixels = new byte[count * 784];
    byte[] labels = new byte[count];
    float[] image = new float[784];
    for (int i = 0; i < count; i++) {
      data.copyImage(i, image, 0);
      for (int p = 0; p < 784; p++) {
        pixels[i * 784 + p] = (byte) Math.round(image[p] * 255);
      }
      labels[i] = (byte) data.labels()[i];
    }
    TestData.writeImages(
        dir.resolve(prefix + "-images-idx3-ubyte.gz"), count, 28, 28, pixels, true);
    TestData.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), count, labels, true);
  }
}
