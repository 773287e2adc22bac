package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalCluster} with {@link FakeTask}s as the tasks (child JVMs, no TensorFlow): each task
 * gets its own TF_CONFIG, its lines come prefixed, one failure stops the others, {@link
 * LocalCluster#stop} and a real SIGINT stop them all, and the exit code says what happened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalClusterTest {
  private static final LocalCluster.Timeouts QUICK =
      new LocalCluster.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));

  @TempDir Path tmp;

  private final Capture out = new Capture();
  private final Capture err = new Capture();

  @Test
  void everyTaskExitsZeroWithItsOwnTfConfigAndPrefixedLines() throws Exception {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 2, false, LoopbackPorts.pick(3));
    LocalCluster cluster =
        cluster(plan, QUICK, "worker:0=done:" + tmp, "ps:0=await:" + tmp, "*=exit:0");

    assertEquals(0, cluster.run(), err.text());

    for (LocalTask task : plan.tasks()) {
      String name = task.name();
      String expected =
          "[" + name + "] task " + task.job() + " " + task.index() + " " + task.address();
      assertTrue(out.lines().contains(expected), expected + " in\n" + out.text());
      assertTrue(out.lines().contains("[" + name + "] partial line of " + name), out.text());
      assertTrue(err.lines().contains("[" + name + "] stderr of " + name), err.text());
      assertTrue(out.lines().contains("[cluster] " + name + " exited 0"), out.text());
    }
    assertTrue(out.lines().contains("[ps:0] saw chief-done"), out.text());
    for (String line : out.lines()) {
      assertTrue(line.matches("\\[(cluster|ps:0|worker:[01])] .*"), line);
    }
  }

  @Test
  void oneTaskFailingStopsTheOthersAndGivesItsExitCode() throws Exception {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 2, false, LoopbackPorts.pick(3));
    LocalCluster cluster = cluster(plan, QUICK, "worker:1=exit:3", "*=sleep");

    // the other tasks sleep until killed: run() returns only if the launcher stopped them
    assertEquals(3, cluster.run(), err.text());

    assertTrue(
        err.lines().contains("[cluster] worker:1 exited with code 3: stopping the other tasks"),
        err.text());
    assertAllGone(cluster.pids());
  }

  @Test
  void stopEndsEveryTaskAndKillsOneThatIgnoresSigterm() throws Exception {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 1, true, LoopbackPorts.pick(3));
    LocalCluster cluster = cluster(plan, QUICK, "ps:0=ignore-term", "*=sleep");
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> runQuietly(cluster));
    out.await(3, "sleeping");

    cluster.stop();

    assertEquals(LocalCluster.STOPPED, run.get(30, TimeUnit.SECONDS), err.text());
    assertTrue(
        err.lines().stream()
            .anyMatch(
                l ->
                    l.matches(
                        "\\[cluster] (.*, )?ps:0(, .*)? killed: still running 1 s after SIGTERM")),
        err.text());
    assertAllGone(cluster.pids());
  }

  @Test
  void aPsStillRunningAfterTheChiefFinishedIsStoppedAfterTheBound() throws Exception {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 1, false, LoopbackPorts.pick(2));
    LocalCluster cluster = cluster(plan, QUICK, "ps:0=sleep", "*=exit:0");

    assertEquals(LocalCluster.UNFINISHED, cluster.run(), err.text());

    assertTrue(out.lines().contains("[cluster] waiting up to 1 s for ps:0"), out.text());
    assertTrue(
        err.lines().contains("[cluster] ps:0 still running 1 s after the chief finished: stopping"),
        err.text());
    assertAllGone(cluster.pids());
  }

  @Test
  void sigintToTheLauncherStopsEveryTask() throws Exception {
    // a background job of a shell without job control (nohup cmd &) starts with SIGINT ignored;
    // its children inherit that, and a JVM cannot catch a signal ignored when it started
    assumeFalse(
        ignoresSigint(),
        "this JVM was started with SIGINT ignored (a background job): its children cannot get it");
    Path log = tmp.resolve("launcher.log");
    Process launcher =
        new ProcessBuilder(FakeLauncher.javaCommand(FakeLauncher.class, List.of("*=sleep")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Capture.awaitFile(log, 2, "sleeping");
      List<ProcessHandle> tasks = launcher.descendants().toList();
      assertEquals(2, tasks.size(), tasks.toString());

      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start();
      assertEquals(0, kill.waitFor());

      assertTrue(launcher.waitFor(20, TimeUnit.SECONDS), "the launcher exits");
      assertEquals(LocalCluster.STOPPED, launcher.exitValue(), Capture.read(log));
      for (ProcessHandle task : tasks) {
        assertTrue(task.onExit().get(5, TimeUnit.SECONDS) != null);
        assertFalse(task.isAlive(), "task " + task.pid() + " stopped");
      }
      assertTrue(Capture.read(log).contains("[cluster] stopped"), Capture.read(log));
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  private LocalCluster cluster(
      LocalClusterPlan plan, LocalCluster.Timeouts timeouts, String... rules) {
    return new LocalCluster(
        plan, FakeLauncher.fakeTaskCommand(List.of(rules)), timeouts, out.stream(), err.stream());
  }

  private static int runQuietly(LocalCluster cluster) {
    try {
      return cluster.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertAllGone(List<Long> pids) {
    assertFalse(pids.isEmpty());
    for (long pid : pids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "task " + pid + " alive");
    }
  }

  /** A console to read back: what the cluster and its relays printed. */
  static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    PrintStream stream() {
      return stream;
    }

    String text() {
      synchronized (stream) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    List<String> lines() {
      return text().lines().toList();
    }

    /** Waits (bounded) until {@code count} lines end with {@code suffix}. */
    void await(int count, String suffix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (lines().stream().filter(l -> l.endsWith(suffix)).count() < count) {
        assertTrue(System.nanoTime() < deadline, "no " + count + " '" + suffix + "' in " + text());
        Thread.sleep(20);
      }
    }

    static void awaitFile(Path file, int count, String suffix) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (read(file).lines().filter(l -> l.endsWith(suffix)).count() < count) {
        assertTrue(
            System.nanoTime() < deadline, "no " + count + " '" + suffix + "' in " + read(file));
        Thread.sleep(20);
      }
    }

    static String read(Path file) throws java.io.IOException {
      return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
    }
  }

  /**
   * Whether SIGINT is in this process's ignored-signal mask ({@code SigIgn} of /proc/self/status).
   */
  private static boolean ignoresSigint() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
        return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2
      }
    }
    return false;
  }
}
