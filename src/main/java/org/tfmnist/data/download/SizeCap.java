package org.tfmnist.data.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body stream that fails once more than {@code maxBytes} have come through: a bad mirror (an
 * endless or wrong body) cannot fill the disk.
 */
final class SizeCap extends FilterInputStream {
  /** The body went past the cap. */
  static final class TooLarge extends IOException {
    TooLarge(long maxBytes) {
      super("more than " + (maxBytes >> 20) + " MiB");
    }
  }

  private final long maxBytes;
  private long seen;

  SizeCap(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws IOException {
    seen += n;
    if (seen > maxBytes) {
      throw new TooLarge(maxBytes);
    }
  }
}
