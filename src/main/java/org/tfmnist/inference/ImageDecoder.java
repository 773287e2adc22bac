package org.tfmnist.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.tfmnist.TfmnistException;

/**
 * Reads a picture file within stated bounds, so one hostile or huge file costs only its own answer:
 * the file is at most {@link #MAX_FILE_BYTES}; its width and height are read from the header and
 * checked ({@link #MAX_SIDE} a side, {@link #MAX_PIXELS} in all) before any pixel is decoded; and a
 * picture larger than {@link #MAX_DECODED_PIXELS} is subsampled while it is decoded (every s-th
 * pixel of every s-th row), so the decoded image never holds more than 2 megapixels (16 MB at most,
 * at 16-bit RGBA) and its preparation, about 60 bytes a decoded pixel, stays under 150 MB however
 * large the picture says it is.
 */
public final class ImageDecoder {
  /** Files read whole are refused beyond this size (64 MiB). */
  static final long MAX_FILE_BYTES = 64L << 20;

  /** Pictures declaring more pixels than this are refused before decoding. */
  static final long MAX_PIXELS = 50_000_000L;

  /** Pictures declaring a longer side than this are refused before decoding. */
  static final int MAX_SIDE = 20_000;

  /** Larger pictures are subsampled while decoding to at most this many pixels. */
  static final long MAX_DECODED_PIXELS = 2_000_000L;

  private ImageDecoder() {}

  /** Reads and decodes {@code file}; a one-line error names the file when it cannot. */
  public static BufferedImage read(Path file) throws TfmnistException {
    return decode(file.toString(), readBounded(file));
  }

  /** The bytes of {@code file}, refusing files over {@link #MAX_FILE_BYTES} before reading them. */
  static byte[] readBounded(Path file) throws TfmnistException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw tooBig(file);
      }
      bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new TfmnistException(file + ": no such file");
    } catch (IOException e) {
      throw new TfmnistException(
          file + ": cannot read: " + TfmnistException.firstLine(e.getMessage()), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw tooBig(file);
    }
    if (bytes.length == 0) {
      throw new TfmnistException(file + ": empty file");
    }
    return bytes;
  }

  private static TfmnistException tooBig(Path file) {
    return new TfmnistException(
        file
            + ": file too large (more than "
            + (MAX_FILE_BYTES >> 20)
            + " MiB; a picture of a digit needs far less)");
  }

  /** Decodes an image with javax.imageio within the bounds above. */
  public static BufferedImage decode(String name, byte[] bytes) throws TfmnistException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new TfmnistException(
            name + ": not an image, or an unsupported format (expected PNG, JPEG, GIF or BMP)");
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toUpperCase(Locale.ROOT);
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(name, width, height);
        ImageReadParam param = reader.getDefaultReadParam();
        int s = subsampling(width, height);
        if (s > 1) {
          param.setSourceSubsampling(s, s, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
          throw new TfmnistException(name + ": cannot decode " + format + " image");
        }
        return image;
      } catch (IOException | RuntimeException e) {
        throw new TfmnistException(
            name
                + ": cannot decode "
                + format
                + " image (corrupt or truncated?): "
                + TfmnistException.firstLine(e.getMessage()),
            e);
      } catch (OutOfMemoryError e) {
        // not expected within the bounds above; if a decoder still overreaches, only this file
        // fails
        throw new TfmnistException(
            name + ": cannot decode " + format + " image: not enough memory", e);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new TfmnistException(
          name + ": cannot read image: " + TfmnistException.firstLine(e.getMessage()), e);
    }
  }

  private static void checkSize(String name, int width, int height) throws TfmnistException {
    if (width < 1 || height < 1) {
      throw new TfmnistException(name + ": image has no pixels (" + width + "x" + height + ")");
    }
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
      throw new TfmnistException(
          name
              + ": image too large ("
              + width
              + "x"
              + height
              + "; at most "
              + MAX_SIDE
              + " a side and "
              + MAX_PIXELS / 1_000_000
              + " megapixels)");
    }
  }

  /** The smallest factor s with ceil(w/s) * ceil(h/s) at most {@link #MAX_DECODED_PIXELS}. */
  static int subsampling(int width, int height) {
    int s = 1;
    while (ceilDiv(width, s) * ceilDiv(height, s) > MAX_DECODED_PIXELS) {
      s++;
    }
    return s;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
