package org.tfmnist.data.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Closes an HTTP body stream when no byte has arrived for a while (the JDK client has no read
 * timeout for bodies), so a hung download ends instead of blocking forever. Time is read from a
 * nanosecond clock ({@link System#nanoTime} but in tests); a timer checks it a few times per limit.
 */
final class StallWatch {
  private final InputStream body;
  private final long limitNanos;
  private final LongSupplier clock;
  private final ScheduledExecutorService timer;
  private volatile long lastProgress;
  private volatile boolean stalled;

  StallWatch(InputStream body, Duration limit, LongSupplier clock) {
    this.body = body;
    this.limitNanos = limit.toNanos();
    this.clock = clock;
    this.lastProgress = clock.getAsLong();
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
        lastProgress = clock.getAsLong();
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        lastProgress = clock.getAsLong();
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

  /** Closes the body if no byte has arrived for longer than the limit (the timer's job). */
  void check() {
    if (clock.getAsLong() - lastProgress > limitNanos) {
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
