package org.tfmnist.data.download;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.text.DecimalFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * For a terminal: one progress bar per downloaded file (kB done of all, elapsed and estimated time
 * left, rate), drawn by the {@code me.tongfei:progressbar} library on {@code terminal}.
 */
public final class DownloadProgressBar implements DownloadProgress {
  private final PrintStream terminal;

  public DownloadProgressBar(PrintStream terminal) {
    this.terminal = terminal;
  }

  @Override
  public Transfer start(URI url, long length) {
    String path = url.getPath();
    Consumer consumer = new Consumer(terminal);
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("downloading " + path.substring(path.lastIndexOf('/') + 1))
            .setInitialMax(length >= 0 ? length : -1)
            .setUnit(" kB", 1000)
            .showSpeed(new DecimalFormat("#,##0.0"))
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setConsumer(consumer)
            .build();
    return new Transfer() {
      @Override
      public OutputStream track(OutputStream sink) {
        return new FilterOutputStream(sink) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bar.stepBy(len);
          }
        };
      }

      @Override
      public void end(boolean ok) {
        bar.close();
        consumer.close();
      }
    };
  }

  /**
   * The library's console consumer, closed (its line ended) once: the library skips closing it when
   * a bar ends before its first drawing, so {@code end} closes it too.
   */
  private static final class Consumer extends ConsoleProgressBarConsumer {
    private boolean closed;

    Consumer(PrintStream terminal) {
      super(terminal);
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        super.close();
      }
    }
  }
}
