package org.tfmnist.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a task's output to the console, one whole line at a time, each line prefixed with the
 * task's name ({@code [worker:1] }). Bytes are copied as they are (no decoding); a carriage return
 * (a progress bar redrawn in place) ends a line too. Each line goes out as one write, under a lock
 * that every relay and message of one launcher shares: stdout and stderr usually end on the same
 * terminal or file, so the lines of tasks running at once, and of a task's two streams, never
 * interleave.
 */
final class LineRelay implements Runnable {
  private static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final byte[] prefix;
  private final PrintStream out;
  private final Object console;

  /**
   * @param console the lock shared by everything that writes to the console, whichever stream
   */
  LineRelay(InputStream in, String taskName, PrintStream out, Object console) {
    this.in = in;
    this.prefix = ("[" + taskName + "] ").getBytes(StandardCharsets.UTF_8);
    this.out = out;
    this.console = console;
  }

  /** A daemon thread running this relay, started. */
  Thread start(String threadName) {
    Thread thread = new Thread(this, threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean afterCr = false;
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n' || b == '\r') {
            if (!(b == '\n' && afterCr && line.size() == 0)) {
              emit(line);
            }
            afterCr = b == '\r';
            continue;
          }
          afterCr = false;
          line.write(b);
          if (line.size() >= MAX_LINE) {
            emit(line);
          }
        }
      }
    } catch (IOException e) {
      // the task is gone and its pipe closed: what was read is written below
    }
    if (line.size() > 0) {
      emit(line);
    }
  }

  private void emit(ByteArrayOutputStream line) {
    byte[] whole = new byte[prefix.length + line.size() + 1];
    System.arraycopy(prefix, 0, whole, 0, prefix.length);
    System.arraycopy(line.toByteArray(), 0, whole, prefix.length, line.size());
    whole[whole.length - 1] = '\n';
    synchronized (console) {
      out.write(whole, 0, whole.length);
      out.flush();
    }
    line.reset();
  }
}
