package org.tfmnist.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.tfmnist.TfmnistException;

/**
 * Runs every task of a {@link LocalClusterPlan} as a child process of the same command (a JVM of
 * this CLI), each with its own {@code TF_CONFIG}, their output prefixed with the task's name. It
 * stops them all (SIGTERM, then SIGKILL after {@link Timeouts#grace}) as soon as one exits
 * non-zero, on {@link #stop} and on Ctrl-C or SIGTERM of this JVM (a shutdown hook). Once the chief
 * has exited 0, the other tasks get {@link Timeouts#finish} to exit by themselves (ps tasks exit
 * when the chief reports the run finished).
 */
public final class LocalCluster {
  /** The exit code of a run stopped by {@link #stop}, Ctrl-C or SIGTERM (a shell's for SIGINT). */
  public static final int STOPPED = 130;

  /** The exit code when tasks are still running {@link Timeouts#finish} after the chief exited. */
  public static final int UNFINISHED = 1;

  /**
   * {@code grace}: between SIGTERM and SIGKILL when stopping tasks; {@code finish}: how long the
   * other tasks may run on after the chief exited 0.
   */
  public record Timeouts(Duration grace, Duration finish) {
    public static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  private record Exit(LocalTask task, int code) {}

  private final LocalClusterPlan plan;
  private final List<String> command;
  private final Timeouts timeouts;
  private final PrintStream out;
  private final PrintStream err;

  /** Held while a line goes to out or err: both usually end on one terminal or file. */
  private final Object console = new Object();

  private final Map<LocalTask, Process> processes = new LinkedHashMap<>();
  private final Map<LocalTask, List<Thread>> relays = new LinkedHashMap<>();
  private final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
  private volatile boolean stopRequested;

  /**
   * @param command what starts one task, the same for every task: {@code java -cp ... MainClass
   *     experts --steps 200 ...}; only {@code TF_CONFIG} differs between tasks
   */
  public LocalCluster(
      LocalClusterPlan plan,
      List<String> command,
      Timeouts timeouts,
      PrintStream out,
      PrintStream err) {
    this.plan = plan;
    this.command = List.copyOf(command);
    this.timeouts = timeouts;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts the tasks and waits for them: 0 when every task exited 0; else the exit code of the
   * first task that failed, {@link #UNFINISHED} or {@link #STOPPED}. No task is left running.
   */
  public int run() throws TfmnistException {
    Thread hook = new Thread(this::stop, "local-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      say(out, plan.describe());
      startAll();
      return await();
    } finally {
      stopAll();
      joinRelays(plan.tasks(), Duration.ofSeconds(5));
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it stops the tasks
      }
    }
  }

  /** Stops every task (SIGTERM, then SIGKILL after the grace period); {@link #run} returns. */
  public void stop() {
    stopRequested = true;
    stopAll();
    say(err, "stopped");
  }

  /** The process ids of the tasks started so far (for tests and diagnostics). */
  public synchronized List<Long> pids() {
    return processes.values().stream().map(Process::pid).toList();
  }

  private synchronized void startAll() throws TfmnistException {
    List<LocalTask> order = new ArrayList<>(plan.tasks());
    order.sort(Comparator.comparing(t -> !t.isPs()));
    for (LocalTask task : order) {
      if (stopRequested) {
        return;
      }
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("TF_CONFIG", plan.tfConfig(task));
      // TensorFlow's INFO lines (rendezvous clean-ups, cancelled dequeues at the end of a run)
      // would drown the tasks' own lines; warnings and errors stay. A value set by the user wins.
      builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new TfmnistException(
            "cannot start " + task.name() + " (" + command.get(0) + "): " + e.getMessage(), e);
      }
      processes.put(task, process);
      closeQuietly(process);
      relays.put(
          task,
          List.of(
              new LineRelay(process.getInputStream(), task.name(), out, console)
                  .start(task.name() + "-out"),
              new LineRelay(process.getErrorStream(), task.name(), err, console)
                  .start(task.name() + "-err")));
      process.onExit().thenAccept(p -> exits.add(new Exit(task, p.exitValue())));
    }
  }

  private int await() {
    Set<LocalTask> running = new LinkedHashSet<>(plan.tasks());
    boolean chiefDone = false;
    long finishBy = 0;
    while (!running.isEmpty()) {
      Exit exit;
      try {
        exit = exits.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested = true;
        exit = null;
      }
      if (stopRequested) {
        return STOPPED;
      }
      if (exit == null) {
        if (chiefDone && System.nanoTime() - finishBy >= 0) {
          say(
              err,
              names(running)
                  + " still running "
                  + seconds(timeouts.finish())
                  + " after the chief finished: stopping");
          return UNFINISHED;
        }
        continue;
      }
      running.remove(exit.task());
      joinRelays(List.of(exit.task()), Duration.ofSeconds(2));
      if (exit.code() != 0) {
        say(
            err,
            exit.task().name() + " exited with code " + exit.code() + ": stopping the other tasks");
        return exit.code();
      }
      say(out, exit.task().name() + " exited 0");
      if (exit.task().equals(plan.chief()) && !running.isEmpty()) {
        chiefDone = true;
        finishBy = System.nanoTime() + timeouts.finish().toNanos();
        say(out, "waiting up to " + seconds(timeouts.finish()) + " for " + names(running));
      }
    }
    return 0;
  }

  /** SIGTERM to every live task, SIGKILL to those still alive after the grace period. */
  private synchronized void stopAll() {
    List<Map.Entry<LocalTask, Process>> alive =
        processes.entrySet().stream().filter(e -> e.getValue().isAlive()).toList();
    if (alive.isEmpty()) {
      return;
    }
    say(err, "stopping " + names(alive.stream().map(Map.Entry::getKey).toList()));
    alive.forEach(e -> e.getValue().destroy());
    long deadline = System.nanoTime() + timeouts.grace().toNanos();
    List<LocalTask> killed = new ArrayList<>();
    for (Map.Entry<LocalTask, Process> entry : alive) {
      Process process = entry.getValue();
      if (!waitFor(process, Math.max(0, deadline - System.nanoTime()))) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        killed.add(entry.getKey());
      }
    }
    for (LocalTask task : killed) {
      waitFor(processes.get(task), TimeUnit.SECONDS.toNanos(10));
    }
    if (!killed.isEmpty()) {
      say(
          err,
          names(killed) + " killed: still running " + seconds(timeouts.grace()) + " after SIGTERM");
    }
  }

  private static boolean waitFor(Process process, long nanos) {
    try {
      return process.waitFor(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private void joinRelays(List<LocalTask> tasks, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    List<Thread> threads = new ArrayList<>();
    synchronized (this) {
      tasks.forEach(t -> threads.addAll(relays.getOrDefault(t, List.of())));
    }
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // no stdin for the tasks: a task that reads it sees end of input
    }
  }

  private static String names(java.util.Collection<LocalTask> tasks) {
    return tasks.stream().map(LocalTask::name).collect(Collectors.joining(", "));
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private void say(PrintStream stream, String message) {
    synchronized (console) {
      stream.println("[cluster] " + message);
      stream.flush();
    }
  }
}
