package org.tfmnist.cluster;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds how long a worker can hang on a lost task. Measured here, TensorFlow 2.18's own timeouts
 * do not: a session's creation waits for an unreachable ps task without end, and a step whose ps
 * was killed blocked for over 90 s with {@code operation_timeout_in_ms} at 60 s (its RPCs wait for
 * the channel to come back). So every second this daemon thread checks that the tasks this one
 * depends on (every ps task; in synchronous mode also the chief) accept connections. A task seen
 * before and unreachable for its grace period, or never reached in {@link #FIRST_CONTACT_MS}, ends
 * the process: one line {@code error: lost /job:ps/replica:0/task:0 (host:port): ...} on stderr and
 * exit code 1 ({@code Runtime.halt}: the blocked native call cannot be interrupted; the run's files
 * are written atomically, so this is no worse than the SIGKILL the fault tests use).
 */
public final class TaskWatchdog {
  /** A ps task unreachable this long after it was seen is lost. */
  public static final long PS_GRACE_MS = 10_000;

  /** The chief (synchronous mode) unreachable this long is lost; a restart fits in it. */
  public static final long CHIEF_GRACE_MS = PsTask.CHIEF_GRACE_MS;

  /** A task never reached in this long is lost. */
  public static final long FIRST_CONTACT_MS = PsTask.FIRST_CONTACT_MS;

  private static final long PERIOD_MS = 1_000;

  private record Watched(String name, String address, long grace) {}

  private final List<Watched> watched = new ArrayList<>();
  private final PrintStream err;
  private final Thread thread;
  private volatile boolean stopped;

  /** Watches {@code config}'s ps tasks, and the chief when {@code sync} and not the chief. */
  public TaskWatchdog(ClusterConfig config, boolean sync, PrintStream err) {
    this.err = err;
    for (int i = 0; i < config.psCount(); i++) {
      watched.add(
          new Watched(
              ClusterConfig.taskName(TaskType.PS, i),
              config.tasks(TaskType.PS).get(i),
              PS_GRACE_MS));
    }
    if (sync && !config.isChief()) {
      watched.add(
          new Watched(
              ClusterConfig.taskName(config.chiefType(), 0),
              config.tasks(config.chiefType()).get(0),
              CHIEF_GRACE_MS));
    }
    thread = new Thread(this::watch, "cluster-watchdog");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Stops watching (the run is over; the ps tasks may now exit). */
  public void stop() {
    stopped = true;
  }

  private void watch() {
    long started = System.currentTimeMillis();
    long[] lastSeen = new long[watched.size()];
    java.util.Arrays.fill(lastSeen, -1);
    while (!stopped) {
      long now = System.currentTimeMillis();
      for (int i = 0; i < watched.size() && !stopped; i++) {
        Watched task = watched.get(i);
        if (LostTask.reachable(task.address())) {
          lastSeen[i] = System.currentTimeMillis();
        } else if (lastSeen[i] >= 0
            ? now - lastSeen[i] > task.grace()
            : now - started > FIRST_CONTACT_MS) {
          lose(
              task,
              lastSeen[i] >= 0
                  ? "unreachable for " + task.grace() / 1000 + " s"
                  : "never reached in " + FIRST_CONTACT_MS / 1000 + " s");
        }
      }
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void lose(Watched task, String why) {
    if (stopped) {
      return;
    }
    err.println("error: lost " + task.name() + " (" + task.address() + "): " + why);
    err.flush();
    Runtime.getRuntime().halt(1);
  }
}
