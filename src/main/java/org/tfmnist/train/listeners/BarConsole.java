package org.tfmnist.train.listeners;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;

/**
 * A terminal line that shows a progress bar while ordinary lines scroll above it: the library's
 * console consumer, plus {@link #lines()}, a stream whose every line is printed in place of the bar
 * and followed by the bar again. The bar's renderer thread and the training thread take turns.
 */
final class BarConsole extends ConsoleProgressBarConsumer {
  private final PrintStream terminal;
  private String shown = "";
  private boolean closed;

  BarConsole(PrintStream terminal) {
    super(terminal);
    this.terminal = terminal;
  }

  @Override
  public synchronized void accept(String rendered) {
    shown = rendered;
    super.accept(rendered);
    terminal.flush();
  }

  /** Prints {@code line} where the bar is, then the bar again below it. */
  synchronized void println(String line) {
    terminal.print("\r" + " ".repeat(getMaxRenderedLength()) + "\r");
    terminal.println(line);
    if (!shown.isEmpty()) {
      super.accept(shown);
    }
    terminal.flush();
  }

  /** Ends the bar's line if one is shown (the process is exiting under it). */
  synchronized void endLine() {
    if (!shown.isEmpty()) {
      terminal.println();
      terminal.flush();
      shown = "";
    }
  }

  /**
   * Ends the bar's line, once (the bar's owner calls it too: the library skips it for a bar closed
   * before its first drawing).
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      super.close();
      shown = "";
    }
  }

  /**
   * A stream for line-oriented printers (such as {@link ConsoleProgress}) that keeps the bar below.
   */
  PrintStream lines() {
    Charset charset = Charset.defaultCharset();
    return new PrintStream(
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public void write(int b) {
            if (b == '\n') {
              println(line.toString(charset));
              line.reset();
            } else if (b != '\r') {
              line.write(b);
            }
          }
        },
        true,
        charset);
  }
}
