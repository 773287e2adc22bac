package org.tfmnist.data.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP body stream when no byte has arrived for a while (the JDK client has no read
 * timeout for bodies), so a hung download ends instead of blocking forever.
 */
final class StallWatch {
  private final InputStream body;
  private final long limitNanos;
  private final ScheduledExecutorService timer;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean stalled;

  StallWatch(InputStream body, Duration limit) {
    this.body = body;
    this.limitNanos = limit.toNanos();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "download-stall-watch");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(10, limit.toMillis() / 4);
    timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** The body, noting progress on every read. */
  InputStream stream() {
    return new FilterInputStream(body) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        lastProgress = System.nanoTime();
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        lastProgress = System.nanoTime();
        return n;
      }
    };
  }

  boolean stalled() {
    return stalled;
  }

  void stop() {
    timer.shutdownNow();
  }

  private void check() {
    if (System.nanoTime() - lastProgress > limitNanos) {
      stalled = true;
      try {
        body.close();
      } catch (IOException ignored) {
        // closing is all we can do
      }
      timer.shutdown();
    }
  }
}
