package org.tfmnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Where the tests find the shared data ({@code ../shared/data} beside the project, as in the
 * CI clone), and writers for small generated IDX files. MNIST files are never copied into the
 * repository.
 */
public final class TestData {
  private TestData() {}

  /** ../shared/data, relative to the project root (the tests' working directory). */
  public static Path sharedData() {
    Path p = Path.of("..", "shared", "data");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared test data not found at " + p.toAbsolutePath()
          + " (the tests expect ../shared/data beside the project)");
    }
    return p;
  }

  /** Real MNIST: t10k images and labels, train labels (no train images). */
  public static Path mnistDir() {
    return sharedData().resolve("mnist");
  }

  /** Real MNIST handwriting cut into 8,000 train / 2,000 test, all four files. */
  public static Path mnistSmallDir() {
    return sharedData().resolve("mnist-small");
  }

  /** Full-size Fashion-MNIST (60,000 / 10,000) from Debian's dataset-fashion-mnist (.ci/run installs it). */
  public static Path fashionMnistDir() {
    Path p = Path.of("/usr/share/datasets/fashion-mnist");
    if (!Files.isRegularFile(p.resolve("train-images-idx3-ubyte.gz"))) {
      throw new IllegalStateException("Fashion-MNIST not found in " + p
          + ": apt-get install -y dataset-fashion-mnist");
    }
    return p;
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
  public static Path writeImages(Path file, int count, int rows, int cols, byte[] pixels,
      boolean gzip) throws IOException {
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
