package org.tfmnist.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a stream while it is copied, telling a failed write apart from a failed read. */
final class Sha256 {
  private Sha256() {}

  /** Copies in to sink and returns the SHA-256 (lower-case hex) of what passed. */
  static String copy(InputStream in, OutputStream sink) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      md.update(buf, 0, n);
      try {
        sink.write(buf, 0, n);
      } catch (IOException e) {
        throw new WriteFailed(e);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Writing to the local file failed (a full disk), as opposed to reading from the network. */
  static final class WriteFailed extends IOException {
    WriteFailed(IOException cause) {
      super(cause);
    }

    IOException cause() {
      return (IOException) getCause();
    }
  }
}
