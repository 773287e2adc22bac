package org.tfmnist.data.download;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stall watch on a clock the test moves: a body is closed only once no byte has arrived for
 * longer than the limit, and every byte starts the limit again.
 */
@Tag("unit")
class StallWatchTest {
  private static final Duration LIMIT = Duration.ofSeconds(2);

  @Test
  void aBodyIsClosedOnlyAfterTheLimitPassesWithoutAByte() throws Exception {
    AtomicLong now = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    InputStream body =
        new ByteArrayInputStream(new byte[10]) {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    StallWatch watch = new StallWatch(body, LIMIT, now::get);
    try {
      InputStream in = watch.stream();
      in.read();
      now.addAndGet(LIMIT.toNanos() * 3 / 4);
      watch.check();
      assertFalse(watch.stalled(), "three quarters of the limit");

      in.read(new byte[3], 0, 3); // a byte: the limit counts from here
      now.addAndGet(LIMIT.toNanos() * 3 / 4); // 1.5 limits since the start
      watch.check();
      assertFalse(watch.stalled(), "a byte within the limit starts it again");

      now.addAndGet(LIMIT.toNanos() / 4); // exactly the limit since the last byte
      watch.check();
      assertFalse(watch.stalled(), "at the limit, not past it");
      assertFalse(closed.get());

      now.addAndGet(1);
      watch.check();
      assertTrue(watch.stalled(), "past the limit without a byte");
      assertTrue(closed.get(), "the body is closed, ending the blocked read");
    } finally {
      watch.stop();
    }
  }
}
