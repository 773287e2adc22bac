package org.tfmnist;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition a test synchronises on (a version loaded, a slot freed, a connection taken
 * in), never for a fixed time. The bound, {@link #SAFETY}, only turns a hang into a failure: it is
 * far beyond what the slowest machine needs, so no test passes or fails by the machine's speed.
 */
public final class Await {
  /** How long a condition may take before the test fails instead of hanging. */
  public static final Duration SAFETY = Duration.ofSeconds(60);

  private Await() {}

  /** Returns once {@code condition} holds; fails, naming {@code what}, after {@link #SAFETY}. */
  public static void until(String what, BooleanSupplier condition) throws InterruptedException {
    until(() -> what, condition);
  }

  /** As {@link #until(String, BooleanSupplier)}, {@code what} computed at the failure. */
  public static void until(Supplier<String> what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + SAFETY.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("still not " + what.get() + " after " + SAFETY.toSeconds() + " s");
      }
      Thread.sleep(5);
    }
  }
}
