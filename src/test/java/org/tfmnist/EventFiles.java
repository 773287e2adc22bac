package org.tfmnist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Test helper: reads TensorBoard event files as TensorFlow writes them, checking the TFRecord
 * framing of every record (uint64 length, masked CRC-32C of the length, the data, masked CRC-32C of
 * the data, little-endian) and parsing each record as an {@code Event} proto.
 */
public final class EventFiles {
  private EventFiles() {}

  /** The event files in {@code dir}, oldest name first. */
  public static List<Path> in(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
          .sorted()
          .toList();
    }
  }

  /** Every event of every event file in {@code dir}, in file order. */
  public static List<Event> readAll(Path dir) throws IOException {
    List<Event> events = new ArrayList<>();
    for (Path file : in(dir)) {
      events.addAll(read(file));
    }
    return events;
  }

  /** The events of one file; throws AssertionError on a bad length, CRC or proto. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      int at = in.position();
      check(in.remaining() >= 12, file, at, "truncated header");
      byte[] header = new byte[8];
      in.get(header);
      long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      check(maskedCrc32c(header) == in.getInt(), file, at, "length CRC mismatch");
      check(
          length >= 0 && length <= in.remaining() - 4,
          file,
          at,
          "record length " + length + " past the end");
      byte[] data = new byte[(int) length];
      in.get(data);
      check(maskedCrc32c(data) == in.getInt(), file, at, "data CRC mismatch");
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  /** TFRecord's masked CRC-32C: rotate right by 15 bits and add 0xa282ead8. */
  static int maskedCrc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static void check(boolean ok, Path file, int offset, String problem) {
    if (!ok) {
      throw new AssertionError(file + " at byte " + offset + ": " + problem);
    }
  }
}
