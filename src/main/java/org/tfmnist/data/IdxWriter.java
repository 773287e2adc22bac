package org.tfmnist.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.tfmnist.DurableFiles;

/**
 * Writes gzipped IDX files in MNIST's layout: unsigned-byte images (magic 0x803) and labels
 * (0x801).
 */
public final class IdxWriter {
  private IdxWriter() {}

  /** {@code pixels.length / (rows * cols)} images of rows x cols bytes, row-major. */
  public static void writeImages(Path file, int rows, int cols, byte[] pixels) throws IOException {
    if (rows < 1 || cols < 1 || pixels.length % (rows * cols) != 0) {
      throw new IllegalArgumentException(
          pixels.length + " pixels are not whole " + rows + "x" + cols + " images");
    }
    write(file, 0x803, new int[] {pixels.length / (rows * cols), rows, cols}, pixels);
  }

  /** One label per byte. */
  public static void writeLabels(Path file, byte[] labels) throws IOException {
    write(file, 0x801, new int[] {labels.length}, labels);
  }

  private static void write(Path file, int magic, int[] dims, byte[] payload) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(payload);
    }
    DurableFiles.write(file, bytes.toByteArray());
  }
}
