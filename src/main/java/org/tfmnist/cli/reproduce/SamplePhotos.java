package org.tfmnist.cli.reproduce;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.MnistShape;
import org.tfmnist.report.PngFile;

/**
 * Stand-ins for the own-photos write-up's three photos (a 9, a 2 and a 5, not in the repository):
 * the first test image of each of those digits, drawn as dark ink on white paper at four times
 * MNIST's size, so the write-up's recipe (thumbnail to 28, invert, {@code 2x - 0.5}) reads them
 * back. They are held-out MNIST-format test images, not photographs.
 */
final class SamplePhotos {
  /** The digits of the write-up's photos, in its order. */
  static final List<Integer> DIGITS = List.of(9, 2, 5);

  static final int SCALE = 4;

  private SamplePhotos() {}

  /** Writes one PNG per digit of {@link #DIGITS} into {@code dir} and returns them, in order. */
  static List<Path> write(Path dataDir, Path dir) throws TfmnistException {
    Dataset test = MnistLoader.loadTest(dataDir);
    List<Path> files = new ArrayList<>();
    for (int digit : DIGITS) {
      int index = first(test, digit);
      Path file = dir.resolve("test-image-" + index + "-a-" + digit + ".png");
      PngFile.write(draw(test, index), file);
      files.add(file);
    }
    return files;
  }

  private static int first(Dataset test, int digit) throws TfmnistException {
    for (int i = 0; i < test.size(); i++) {
      if (test.labels()[i] == digit) {
        return i;
      }
    }
    throw new TfmnistException("the test set has no " + digit + " to draw as a sample photo");
  }

  /** Image {@code index}, ink {@code x} as grey {@code 255 (1 - x)}, each pixel SCALE x SCALE. */
  static BufferedImage draw(Dataset data, int index) {
    int side = MnistShape.ROWS;
    float[] pixels = new float[MnistShape.PIXELS];
    data.copyImage(index, pixels, 0);
    BufferedImage image =
        new BufferedImage(side * SCALE, side * SCALE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < side * SCALE; y++) {
      for (int x = 0; x < side * SCALE; x++) {
        float ink = pixels[(y / SCALE) * side + x / SCALE];
        image.getRaster().setSample(x, y, 0, Math.round(255 * (1 - ink)));
      }
    }
    return image;
  }
}
