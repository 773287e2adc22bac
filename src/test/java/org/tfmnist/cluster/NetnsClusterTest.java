package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.cli.Main;

/**
 * A ps, a chief and a worker on separate test hosts ({@link NetnsTestBed}: network namespaces on a
 * private bridge, links capped at 1 Gbit/s), configured only by {@code TF_CONFIG} naming the hosts'
 * addresses, training the softmax model asynchronously on mnist-small. A link taken down is a
 * silent partition: no reset reaches the peers, unlike a process killed on loopback. Skipped, with
 * the reason, where network namespaces cannot be made (not root).
 */
@Tag("data")
@Tag("cluster")
@Tag("netns")
@Timeout(300)
class NetnsClusterTest {
  private static final Pattern STEP = Pattern.compile("step (\\d+), training accuracy");
  private static final String PORT = ":2222";

  @TempDir Path dir;

  /**
   * A worker's link down for 20 s: the worker ends with one line naming the ps it lost; started
   * again once the link is back, it rejoins at the global step (its first step is past every step
   * it took before), while the chief trained on.
   */
  @Test
  void workerLinkDownFor20SecondsThenBackRejoins() throws Exception {
    try (NetnsTestBed bed = NetnsTestBed.create()) {
      String cluster = threeHosts(bed);
      List<String> args = TestCluster.beginners(1_000_000, dir.resolve("run"));
      Process ps = start(bed, "ps", cluster, "ps", 0, args, "ps");
      Process chief = start(bed, "chief", cluster, "worker", 0, args, "chief");
      Process worker = start(bed, "w1", cluster, "worker", 1, args, "w1");
      assertTrue(await("w1", "00, training accuracy", 120), log("w1"));
      bed.linkDown("w1");
      long down = System.nanoTime();
      assertEquals(1, TestCluster.exitOf(worker, 60), log("w1"));
      System.out.printf("worker ended %.1f s after its link went down%n", since(down));
      assertEquals(
          1, lostLines(log("w1"), "/job:ps/replica:0/task:0 (" + bed.address("ps") + PORT));
      long before = lastStep(log("w1"));
      Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - down) / 1_000_000));
      bed.linkUp("w1");
      Process again = start(bed, "w1", cluster, "worker", 1, args, "w1-again");
      assertTrue(await("w1-again", "00, training accuracy", 120), log("w1-again"));
      long after = firstStep(log("w1-again"));
      assertTrue(after > before, "rejoined at step " + after + ", left at " + before);
      assertTrue(again.isAlive() && chief.isAlive() && ps.isAlive(), log("chief"));
    }
  }

  /**
   * The ps host's link down for good: the chief and the worker each end within 60 s, non-zero, with
   * one line naming the lost ps and its address.
   */
  @Test
  void psLinkDownForGoodEndsEveryReplicaNamingThePs() throws Exception {
    try (NetnsTestBed bed = NetnsTestBed.create()) {
      String cluster = threeHosts(bed);
      List<String> args = TestCluster.beginners(1_000_000, dir.resolve("run"));
      start(bed, "ps", cluster, "ps", 0, args, "ps");
      Process chief = start(bed, "chief", cluster, "worker", 0, args, "chief");
      Process worker = start(bed, "w1", cluster, "worker", 1, args, "w1");
      assertTrue(await("w1", "00, training accuracy", 120), log("w1"));
      bed.linkDown("ps");
      long down = System.nanoTime();
      int chiefExit = TestCluster.exitOf(chief, 60);
      int workerExit = TestCluster.exitOf(worker, 60);
      System.out.printf("chief and worker ended %.1f s after the ps link went down%n", since(down));
      assertTrue(
          chiefExit > 0 && workerExit > 0, chiefExit + " " + workerExit + "\n" + log("chief"));
      String lost = "/job:ps/replica:0/task:0 (" + bed.address("ps") + PORT + ")";
      assertEquals(1, lostLines(log("chief"), lost), log("chief"));
      assertEquals(1, lostLines(log("w1"), lost), log("w1"));
    }
  }

  /**
   * The chief's host gone (its task killed, its namespace and link removed) and the chief started
   * again on a new host with another address, under the same name (as a Kubernetes Service keeps
   * the name of a pod rescheduled elsewhere): TF_CONFIG names the tasks {@code chief-0:2222}, ...;
   * the new chief resumes from its checkpoint and every task exits 0.
   */
  @Test
  void chiefRestartedOnAnotherHostAddressResumes() throws Exception {
    try (NetnsTestBed bed = NetnsTestBed.create()) {
      bed.addHost("ps", 11);
      bed.addHost("chief", 12);
      bed.addHost("w1", 13);
      bed.names(
          Map.of(
              "ps-0", bed.address("ps"),
              "chief-0", bed.address("chief"),
              "worker-0", bed.address("w1")));
      String cluster =
          "\"cluster\":{\"chief\":[\"chief-0:2222\"],\"worker\":[\"worker-0:2222\"],"
              + "\"ps\":[\"ps-0:2222\"]}";
      Path runDir = dir.resolve("run");
      List<String> args = TestCluster.beginners(1200, runDir);
      Process ps = start(bed, "ps", cluster, "ps", 0, args, "ps");
      start(bed, "chief", cluster, "chief", 0, args, "chief");
      Process worker = start(bed, "w1", cluster, "worker", 0, args, "w1");
      assertTrue(await("chief", "epoch 2 ", 120), log("chief"));
      bed.removeHost("chief");
      String moved = bed.addHost("chief2", 22);
      bed.names(Map.of("ps-0", bed.address("ps"), "chief-0", moved, "worker-0", bed.address("w1")));
      // The ps may still hold its channel to the old chief-0 address for its first answers to the
      // new one; the new chief then ends naming the ps, and Kubernetes (restartPolicy OnFailure)
      // starts it again. So does this test, once.
      Process again = start(bed, "chief2", cluster, "chief", 0, args, "chief-again");
      String name = "chief-again";
      if (TestCluster.exitOf(again, 120) != 0) {
        assertTrue(log(name).contains("error: lost /job:ps"), log(name));
        again = start(bed, "chief2", cluster, "chief", 0, args, "chief-again-2");
        name = "chief-again-2";
      }
      assertEquals(0, TestCluster.exitOf(again, 120), log(name));
      assertTrue(log(name).contains("resumed from"), log(name));
      assertEquals(0, TestCluster.exitOf(worker, 60), log("w1"));
      assertEquals(0, TestCluster.exitOf(ps, 60), log("ps"));
      assertTrue(Files.isRegularFile(runDir.resolve("saved_model/saved_model.pb")));
    }
  }

  private static String threeHosts(NetnsTestBed bed) throws Exception {
    String ps = bed.addHost("ps", 11);
    String chief = bed.addHost("chief", 12);
    String worker = bed.addHost("w1", 13);
    return "\"cluster\":{\"worker\":[\""
        + chief
        + PORT
        + "\",\""
        + worker
        + PORT
        + "\"],\"ps\":[\""
        + ps
        + PORT
        + "\"]}";
  }

  private Process start(
      NetnsTestBed bed,
      String host,
      String cluster,
      String type,
      int index,
      List<String> args,
      String log)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    String tfConfig =
        "{" + cluster + ",\"task\":{\"type\":\"" + type + "\",\"index\":" + index + "}}";
    return bed.start(
        host,
        Map.of("TF_CONFIG", tfConfig, "TF_CPP_MIN_LOG_LEVEL", "2"),
        command,
        dir.resolve(log + ".log"));
  }

  private String log(String name) throws Exception {
    Path file = dir.resolve(name + ".log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private boolean await(String name, String text, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (log(name).contains(text)) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static long lostLines(String log, String task) {
    return log.lines().filter(l -> l.startsWith("error: lost " + task)).count();
  }

  private static long lastStep(String log) {
    long last = -1;
    Matcher m = STEP.matcher(log);
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  private static long firstStep(String log) {
    Matcher m = STEP.matcher(log);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
