package org.tfmnist.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), gzip-compressed or raw; gzip is detected by its magic bytes,
 * not by the file name. Headers are validated before any large allocation, and the payload must be
 * exactly as long as the header says. Memory bound: one read allocates at most {@link
 * #ALLOCATION_PER_BYTE} bytes per byte the file really holds (after gunzip) plus {@link
 * #ALLOCATION_SLACK}, whatever its header claims (checked by {@code IdxFileFuzzTest}).
 */
public final class IdxFile {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;
  static final int MAX_SIDE = 1024;
  static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;
  private static final int CHUNK = 1 << 20;

  /** Bytes allocated per byte of content, at most: growing the payload buffer, labels as ints. */
  public static final long ALLOCATION_PER_BYTE = 8;

  /**
   * Fixed allocation per read, at most: the first 1 MiB chunk of a gzip payload, stream buffers.
   */
  public static final long ALLOCATION_SLACK = 2L << 20;

  private IdxFile() {}

  /** Reads an image file (magic 0x00000803; dimensions count, rows, cols). */
  public static IdxImages readImages(Path file) throws DataException {
    try (Source src = Source.open(file)) {
      int magic = src.readHeaderInt("magic number");
      checkMagic(file, magic, IMAGES_MAGIC, "image");
      int count = src.readHeaderInt("image count");
      int rows = src.readHeaderInt("row count");
      int cols = src.readHeaderInt("column count");
      if (count < 0) {
        throw DataException.of(file, "negative image count " + count);
      }
      if (rows < 1 || rows > MAX_SIDE || cols < 1 || cols > MAX_SIDE) {
        throw DataException.of(
            file,
            "implausible image size "
                + rows
                + "x"
                + cols
                + " (rows and columns must be 1.."
                + MAX_SIDE
                + ")");
      }
      long payload = (long) count * rows * cols;
      if (payload > MAX_PAYLOAD) {
        throw DataException.of(
            file,
            "image count "
                + count
                + " of "
                + rows
                + "x"
                + cols
                + " needs "
                + payload
                + " pixel bytes, more than one array can hold");
      }
      byte[] pixels = src.readPayload(16, payload, "pixel bytes");
      return new IdxImages(count, rows, cols, pixels);
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  /** Reads a label file (magic 0x00000801; dimension count); every label must be 0..9. */
  public static int[] readLabels(Path file) throws DataException {
    byte[] raw;
    try (Source src = Source.open(file)) {
      int magic = src.readHeaderInt("magic number");
      checkMagic(file, magic, LABELS_MAGIC, "label");
      int count = src.readHeaderInt("label count");
      if (count < 0) {
        throw DataException.of(file, "negative label count " + count);
      }
      if (count > MAX_PAYLOAD) {
        throw DataException.of(file, "label count " + count + " is more than one array can hold");
      }
      raw = src.readPayload(8, count, "label bytes");
    } catch (IOException e) {
      throw ioError(file, e);
    }
    int[] labels = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      int label = raw[i] & 0xFF;
      if (label >= Dataset.NUM_CLASSES) {
        throw DataException.of(file, "label " + label + " at index " + i + " is not 0..9");
      }
      labels[i] = label;
    }
    return labels;
  }

  private static void checkMagic(Path file, int magic, int expected, String kind)
      throws DataException {
    if (magic != expected) {
      throw DataException.of(
          file,
          String.format(
              "bad magic number 0x%08x, expected 0x%08x (not an IDX %s file)",
              magic, expected, kind));
    }
  }

  private static DataException ioError(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return DataException.of(file, "no such file");
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof ZipException || e instanceof EOFException) {
      return new DataException(file + ": corrupt gzip data: " + reason, e);
    }
    return new DataException(file + ": cannot read: " + reason, e);
  }

  /** An open IDX file: header ints, then a payload of known length. */
  private static final class Source implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private final long rawSize;
    private boolean cutOff;

    private Source(Path file, InputStream in, long rawSize) {
      this.file = file;
      this.in = in;
      this.rawSize = rawSize;
    }

    /** rawSize is the file length for raw files, -1 for gzip (length unknown until EOF). */
    static Source open(Path file) throws IOException {
      long size = Files.size(file);
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
          return new Source(file, new GZIPInputStream(raw, 1 << 16), -1);
        }
        return new Source(file, raw, size);
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    int readHeaderInt(String what) throws IOException, DataException {
      byte[] b = new byte[4];
      int n = readFully(b, 0, 4);
      if (n < 4) {
        throw DataException.of(file, "truncated header: no " + what);
      }
      return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /**
     * Reads exactly {@code length} bytes and checks nothing follows. Raw files are checked against
     * their length first; gzip payloads are read in growing chunks, so a forged count is found at
     * end of stream before the full amount is allocated.
     */
    byte[] readPayload(int headerBytes, long length, String what)
        throws IOException, DataException {
      if (rawSize >= 0 && rawSize != headerBytes + length) {
        long got = Math.max(0, rawSize - headerBytes);
        throw DataException.of(
            file,
            (got < length ? "truncated" : "trailing bytes")
                + ": expected "
                + length
                + " "
                + what
                + ", got "
                + got);
      }
      byte[] buf = new byte[(int) Math.min(length, rawSize >= 0 ? length : CHUNK)];
      int filled = 0;
      while (filled < length) {
        if (filled == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(length, (long) buf.length * 2));
        }
        int n = readFully(buf, filled, buf.length - filled);
        filled += n;
        if (filled < buf.length) {
          throw DataException.of(
              file,
              "truncated: expected "
                  + length
                  + " "
                  + what
                  + ", got "
                  + filled
                  + (cutOff ? " (gzip stream cut off)" : ""));
        }
      }
      long extra = readTrailing();
      if (extra > 0) {
        throw DataException.of(
            file, "trailing bytes: expected " + length + " " + what + ", got " + (length + extra));
      }
      return buf;
    }

    private long readTrailing() throws IOException {
      byte[] b = new byte[8192];
      long extra = 0;
      int n;
      while ((n = in.read(b)) > 0) {
        extra += n;
      }
      return extra;
    }

    /** Reads up to len bytes; a gzip stream that ends mid-way counts as end of data. */
    private int readFully(byte[] b, int off, int len) throws IOException {
      int total = 0;
      try {
        while (total < len) {
          int n = in.read(b, off + total, len - total);
          if (n < 0) {
            break;
          }
          total += n;
        }
      } catch (EOFException e) {
        cutOff = true;
      }
      return total;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
