package org.tfmnist;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Hand-made greyscale PNG files for the bounds tests: a few hundred bytes that declare a huge
 * picture, or a large picture streamed row by row without ever holding it in memory.
 */
public final class Pngs {
  private Pngs() {}

  /** The grey level (0..255) of a pixel. */
  @FunctionalInterface
  public interface Pixels {
    int at(int x, int y);
  }

  /** A PNG whose header declares width x height 8-bit grey pixels, followed by one row of data. */
  public static byte[] declaring(int width, int height) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(idat)) {
      z.write(new byte[1 + Math.min(width, 1000)]);
    }
    return png(width, height, 8, idat.toByteArray());
  }

  /**
   * Writes a width x height grey PNG of {@code bitDepth} 8 or 16, rows deflated as they are made.
   */
  public static Path write(Path file, int width, int height, int bitDepth, Pixels pixels)
      throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    int bytesPerPixel = bitDepth / 8;
    byte[] row = new byte[1 + width * bytesPerPixel];
    try (OutputStream z =
        new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int g = pixels.at(x, y);
          if (bitDepth == 16) {
            int v = g * 257; // 0..255 -> 0..65535
            row[1 + 2 * x] = (byte) (v >> 8);
            row[2 + 2 * x] = (byte) v;
          } else {
            row[1 + x] = (byte) g;
          }
        }
        z.write(row);
      }
    }
    return Files.write(file, png(width, height, bitDepth, idat.toByteArray()));
  }

  private static byte[] png(int width, int height, int bitDepth, byte[] idat) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeInt(width);
    h.writeInt(height);
    h.writeByte(bitDepth);
    h.writeByte(0); // greyscale
    h.writeByte(0);
    h.writeByte(0);
    h.writeByte(0);
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
