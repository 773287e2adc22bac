package org.tfmnist.export;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TensorFlow's TFRecord framing: each record is its length (uint64, little-endian), the masked
 * CRC-32C of the length, the data, and the masked CRC-32C of the data. The format of TF Serving's
 * warm-up file ({@code assets.extra/tf_serving_warmup_requests}).
 */
public final class TfRecords {
  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecords() {}

  /** Writes {@code data} as one record. */
  public static void write(OutputStream out, byte[] data) throws IOException {
    byte[] length =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(length);
    out.write(int32(maskedCrc(length, length.length)));
    out.write(data);
    out.write(int32(maskedCrc(data, data.length)));
  }

  /**
   * Reads every record, at most {@code maxRecords} (an IOException beyond, or for a record whose
   * length or data fails its checksum, or is cut short).
   */
  public static List<byte[]> readAll(InputStream in, int maxRecords, long maxBytes)
      throws IOException {
    List<byte[]> out = new ArrayList<>();
    byte[] header = new byte[12];
    while (true) {
      int n = in.readNBytes(header, 0, 12);
      if (n == 0) {
        return out;
      }
      if (n < 12) {
        throw new EOFException("record " + out.size() + ": cut short in its header");
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long length = h.getLong();
      if (h.getInt() != maskedCrc(header, 8)) {
        throw new IOException("record " + out.size() + ": length checksum mismatch");
      }
      if (length < 0 || length > maxBytes || out.size() == maxRecords) {
        throw new IOException(
            "record "
                + out.size()
                + ": more than "
                + maxRecords
                + " records or "
                + maxBytes
                + " bytes");
      }
      byte[] data = in.readNBytes((int) length);
      byte[] crc = in.readNBytes(4);
      if (data.length < length || crc.length < 4) {
        throw new EOFException("record " + out.size() + ": cut short");
      }
      if (ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt()
          != maskedCrc(data, data.length)) {
        throw new IOException("record " + out.size() + ": data checksum mismatch");
      }
      out.add(data);
    }
  }

  private static int maskedCrc(byte[] data, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  private static byte[] int32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
