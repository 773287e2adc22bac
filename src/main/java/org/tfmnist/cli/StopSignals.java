package org.tfmnist.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, for {@code serve}: while installed they end
 * {@link #await} instead of the JVM, so the server can answer the requests in flight first. {@link
 * #uninstall} puts back the handlers that were there before, so an in-process run (a test) leaves
 * the JVM's signals as it found them.
 */
final class StopSignals {
  private static final String[] SIGNALS = {"TERM", "INT"};

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

  private StopSignals() {}

  /** Handles SIGTERM and SIGINT from now on. */
  static StopSignals install() {
    StopSignals stop = new StopSignals();
    for (int i = 0; i < SIGNALS.length; i++) {
      stop.previous[i] = Signal.handle(new Signal(SIGNALS[i]), s -> stop.stopRequested.countDown());
    }
    return stop;
  }

  /** Waits for either signal (or for this thread to be interrupted). */
  void await() {
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Puts back the handlers {@link #install} replaced. */
  void uninstall() {
    for (int i = 0; i < SIGNALS.length; i++) {
      Signal.handle(new Signal(SIGNALS[i]), previous[i]);
    }
  }
}
