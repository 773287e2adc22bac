package org.tfmnist.testdata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.tfmnist.TestData;
import org.tfmnist.data.DataException;
import org.tfmnist.data.IdxFile;
import org.tfmnist.data.IdxImages;
import org.tfmnist.data.MnistFiles;

/**
 * Derives an mnist-small (8,000 training / 2,000 test images of real MNIST handwriting) from
 * MNIST's 10,000 test images, for machines without {@code ../shared/data}. The cut: the indices
 * 0..9,999 shuffled by Fisher-Yates driven by {@code java.util.Random(SEED)} (for i from 9,999 down
 * to 1, swap i with {@code nextInt(i + 1)}); the first 8,000 shuffled images become the training
 * set, the last 2,000 the test set, each image keeping its label; written as the four standard IDX
 * {@code .gz} files. {@code java.util.Random}'s sequence is fixed by its specification, so every
 * JVM cuts the same set. It holds other images than the shared mnist-small (made by another
 * shuffle), so figures measured on one are not figures on the other.
 */
public final class MnistSmallCut {
  /** The shuffle's seed. */
  public static final long SEED = 42;

  public static final int TRAIN = 8_000;
  public static final int TEST = 2_000;

  /** The first ten training and test labels of the derived set (they pin the cut). */
  public static final int[] FIRST_TRAIN_LABELS = {6, 2, 7, 9, 7, 6, 2, 0, 1, 8};

  public static final int[] FIRST_TEST_LABELS = {6, 5, 0, 3, 7, 1, 4, 1, 3, 3};

  private MnistSmallCut() {}

  /** Reads the t10k pair from mnistDir and writes the four mnist-small files into target. */
  public static void write(Path mnistDir, Path target) throws DataException, IOException {
    IdxImages images = IdxFile.readImages(mnistDir.resolve(MnistFiles.TEST_IMAGES));
    int[] labels = IdxFile.readLabels(mnistDir.resolve(MnistFiles.TEST_LABELS));
    if (images.count() != TRAIN + TEST || labels.length != TRAIN + TEST) {
      throw new DataException(
          mnistDir
              + ": expected MNIST's "
              + (TRAIN + TEST)
              + " test images and labels, got "
              + images.count()
              + " and "
              + labels.length);
    }
    int[] order = permutation(TRAIN + TEST, SEED);
    writeSplit(
        images,
        labels,
        order,
        0,
        TRAIN,
        target.resolve(MnistFiles.TRAIN_IMAGES),
        target.resolve(MnistFiles.TRAIN_LABELS));
    writeSplit(
        images,
        labels,
        order,
        TRAIN,
        TEST,
        target.resolve(MnistFiles.TEST_IMAGES),
        target.resolve(MnistFiles.TEST_LABELS));
  }

  /** 0..n-1 shuffled by Fisher-Yates with java.util.Random(seed). */
  static int[] permutation(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static void writeSplit(
      IdxImages images,
      int[] labels,
      int[] order,
      int from,
      int count,
      Path imageFile,
      Path labelFile)
      throws IOException {
    int size = images.features();
    byte[] pixels = new byte[count * size];
    byte[] cut = new byte[count];
    for (int k = 0; k < count; k++) {
      int src = order[from + k];
      System.arraycopy(images.pixels(), src * size, pixels, k * size, size);
      cut[k] = (byte) labels[src];
    }
    TestData.writeImages(imageFile, count, images.rows(), images.cols(), pixels, true);
    TestData.writeLabels(labelFile, count, cut, true);
  }
}
