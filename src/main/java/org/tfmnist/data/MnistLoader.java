package org.tfmnist.data;

import java.nio.file.Path;
import java.util.List;
import org.tfmnist.TfmnistException;

/** Loads an MNIST-format data directory (the four IDX files) into memory, pixels scaled to 0..1. */
public final class MnistLoader {
  private static final float[] SCALE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      SCALE[i] = i / 255f;
    }
  }

  private MnistLoader() {}

  /** Reads the training and test sets from {@code dir}. */
  public static DataSplits load(Path dir) throws TfmnistException {
    requirePresent(dir, MnistFiles.ALL);
    Dataset train = read(dir, MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS);
    Dataset test = read(dir, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS);
    if (train.features() != test.features()) {
      throw new DataException(
          dir
              + ": training images have "
              + train.features()
              + " pixels, test images "
              + test.features());
    }
    return new DataSplits(train, test);
  }

  /** Reads only the test set (t10k files) from {@code dir}. */
  public static Dataset loadTest(Path dir) throws TfmnistException {
    requirePresent(dir, MnistFiles.TEST);
    return read(dir, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS);
  }

  private static void requirePresent(Path dir, List<String> names) throws DataException {
    List<String> missing = MnistFiles.missing(dir, names);
    if (!missing.isEmpty()) {
      throw new DataException(
          dir
              + ": missing "
              + String.join(", ", missing)
              + " (download them, copy them there, or pass --data-dir DIR)");
    }
  }

  private static Dataset read(Path dir, String imagesName, String labelsName) throws DataException {
    Path imagesFile = MnistFiles.find(dir, imagesName).orElseThrow();
    Path labelsFile = MnistFiles.find(dir, labelsName).orElseThrow();
    int[] labels = IdxFile.readLabels(labelsFile);
    IdxImages images = IdxFile.readImages(imagesFile);
    if (images.count() != labels.length) {
      throw DataException.of(
          imagesFile,
          images.count() + " images, but " + labelsFile + " has " + labels.length + " labels");
    }
    return new Dataset(scale(images.pixels()), labels, images.features());
  }

  static float[] scale(byte[] pixels) {
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = SCALE[pixels[i] & 0xFF];
    }
    return out;
  }
}
