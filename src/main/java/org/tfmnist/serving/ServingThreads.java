package org.tfmnist.serving;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The serving layer's background threads: named daemons, and a bounded wait for them to end. */
final class ServingThreads {
  private ServingThreads() {}

  /** Daemon threads called {@code name}: a server's helpers never keep the JVM alive. */
  static ThreadFactory daemon(String name) {
    return r -> daemon(r, name);
  }

  /** One daemon thread called {@code name} running {@code r}. */
  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Waits up to 30 s for {@code executor}'s tasks to end (it has been shut down). */
  static void await(ExecutorService executor) {
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
