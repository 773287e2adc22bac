package org.tfmnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.tfmnist.testdata.MissingTestData;
import org.tfmnist.testdata.MnistSmallCut;
import org.tfmnist.testdata.TestDataCache;

/**
 * The one place that decides where the tests' data comes from: {@code ../shared/data} beside the
 * project when it is there (as in CI here), otherwise a {@link TestDataCache} ({@code
 * target/test-data/} or {@code $TFMNIST_TEST_DATA}) filled on first use, SHA-256 checked, from the
 * MNIST mirror ({@code $TFMNIST_MNIST_MIRROR}) with mnist-small cut by {@link MnistSmallCut}.
 * Fashion-MNIST comes from Debian's package when installed, else the cache. Resolved once per JVM;
 * when data is missing every method throws the same one-line {@link MissingTestData}. Also writers
 * for small generated IDX files. MNIST files are never copied into the repository.
 */
public final class TestData {
  private static final Path SHARED = Path.of("..", "shared", "data");
  private static final Path SHIPPED_DIGITS = Path.of("data", "digits", "digits.csv.gz");
  private static Sources sources;
  private static MissingTestData missing;

  private TestData() {}

  /** Where each data set lives; shared says whether it is ../shared/data. */
  private record Sources(Path root, Path mnist, Path mnistSmall, Path fashion, boolean shared) {}

  /** Resolves (and if needed downloads) all the test data; throws MissingTestData if it cannot. */
  public static synchronized void ensure() {
    if (sources != null) {
      return;
    }
    if (missing != null) {
      throw missing;
    }
    try {
      sources = resolve();
    } catch (MissingTestData e) {
      missing = e;
      throw e;
    }
  }

  private static Sources sources() {
    ensure();
    return sources;
  }

  private static Sources resolve() {
    TestDataCache cache = TestDataCache.fromEnvironment(System.out);
    if (Files.isDirectory(SHARED)) {
      return new Sources(
          SHARED,
          SHARED.resolve("mnist"),
          SHARED.resolve("mnist-small"),
          cache.fashionMnist(),
          true);
    }
    StringBuilder problems = new StringBuilder();
    Path mnist = null;
    Path mnistSmall = null;
    Path fashion = null;
    try {
      mnist = cache.mnist();
      mnistSmall = cache.mnistSmall();
    } catch (MissingTestData e) {
      problems.append(e.getMessage());
    }
    try {
      fashion = cache.fashionMnist();
    } catch (MissingTestData e) {
      problems.append(problems.length() > 0 ? "; also " : "").append(e.getMessage());
    }
    if (problems.length() > 0) {
      throw new MissingTestData(problems.toString());
    }
    cache.digits(SHIPPED_DIGITS);
    return new Sources(cache.root(), mnist, mnistSmall, fashion, false);
  }

  /** True when the data is ../shared/data's, false when it is the derived cache's. */
  public static boolean isShared() {
    return sources().shared();
  }

  /** The directory holding mnist/, mnist-small/ and digits/: ../shared/data, or the cache. */
  public static Path sharedData() {
    return sources().root();
  }

  /** Real MNIST: t10k images and labels, train labels (no train images). */
  public static Path mnistDir() {
    return sources().mnist();
  }

  /** Real MNIST handwriting cut into 8,000 train / 2,000 test, all four files. */
  public static Path mnistSmallDir() {
    return sources().mnistSmall();
  }

  /** The first ten training labels of the mnist-small in use (shared and derived sets differ). */
  public static int[] mnistSmallFirstTrainLabels() {
    return isShared()
        ? new int[] {4, 3, 2, 1, 3, 9, 6, 9, 5, 6}
        : MnistSmallCut.FIRST_TRAIN_LABELS.clone();
  }

  /** The first ten test labels of the mnist-small in use. */
  public static int[] mnistSmallFirstTestLabels() {
    return isShared()
        ? new int[] {1, 6, 6, 5, 7, 1, 8, 8, 2, 8}
        : MnistSmallCut.FIRST_TEST_LABELS.clone();
  }

  /**
   * Full-size Fashion-MNIST (60,000 / 10,000): Debian's dataset-fashion-mnist, or the cache's
   * download.
   */
  public static Path fashionMnistDir() {
    return sources().fashion();
  }

  /**
   * scikit-learn's 8x8 digits: ../shared/data/digits/digits.csv.gz, else the repository's
   * data/digits/.
   */
  public static Path digitsFile() {
    Path shared = SHARED.resolve("digits").resolve("digits.csv.gz");
    return Files.isRegularFile(shared) ? shared : SHIPPED_DIGITS;
  }

  /** IDX bytes: a big-endian header (magic, then dims as given) followed by payload. */
  public static byte[] idx(int magic, int[] dims, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(payload);
    return b.array();
  }

  /** Writes bytes to file, gzip-compressed if gzip. */
  public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    if (!gzip) {
      return Files.write(file, content);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return Files.write(file, bytes.toByteArray());
  }

  /** An image file (magic 0x803) with the given header counts and pixel payload. */
  public static Path writeImages(
      Path file, int count, int rows, int cols, byte[] pixels, boolean gzip) throws IOException {
    return write(file, idx(0x803, new int[] {count, rows, cols}, pixels), gzip);
  }

  /** A label file (magic 0x801) with the given header count and label payload. */
  public static Path writeLabels(Path file, int count, byte[] labels, boolean gzip)
      throws IOException {
    return write(file, idx(0x801, new int[] {count}, labels), gzip);
  }

  /** count images of rows x cols whose pixels are (index % 256). */
  public static byte[] pixels(int count, int rows, int cols) {
    byte[] p = new byte[count * rows * cols];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) i;
    }
    return p;
  }

  /** count labels cycling 0..9. */
  public static byte[] labels(int count) {
    byte[] l = new byte[count];
    for (int i = 0; i < count; i++) {
      l[i] = (byte) (i % 10);
    }
    return l;
  }
}
