package org.tfmnist.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes decoded into a {@link Writer} as they arrive (a character split across writes waits
 * for its last byte), so a {@link java.io.PrintStream} can write to picocli's {@code PrintWriter}.
 */
final class WriterOutputStream extends OutputStream {
  private final Writer writer;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer bytes = ByteBuffer.allocate(1024);
  private final CharBuffer chars = CharBuffer.allocate(1024);

  WriterOutputStream(Writer writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, bytes.remaining());
      bytes.put(b, off, n);
      off += n;
      len -= n;
      decode();
    }
  }

  private void decode() throws IOException {
    bytes.flip();
    CoderResult result;
    do {
      result = decoder.decode(bytes, chars, false);
      chars.flip();
      writer.append(chars);
      chars.clear();
    } while (result.isOverflow());
    bytes.compact();
  }

  @Override
  public synchronized void flush() throws IOException {
    writer.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
  }
}
