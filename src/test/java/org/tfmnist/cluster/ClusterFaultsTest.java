package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks killed with SIGKILL ({@code Process.destroyForcibly}) in a 1 ps + 2 worker cluster on
 * loopback: a worker started again rejoins and the (synchronous) run finishes; the chief started
 * again resumes from its last checkpoint and the CSV has no repeated epoch.
 */
@Tag("data")
@Tag("cluster")
class ClusterFaultsTest {
  @TempDir Path dir;

  /**
   * In synchronous mode each step takes one gradient from each replica (a token per replica, only
   * after an update), so while worker 1 is dead the chief waits, and every step after the restart
   * applied a gradient of the restarted worker: the run finishing past the kill shows them applied.
   */
  @Test
  void workerKilledAndStartedAgainRejoins() throws Exception {
    Path runDir = dir.resolve("run");
    List<String> args = new ArrayList<>(TestCluster.beginners(400, runDir));
    args.addAll(List.of("--sync-replicas", "--log-every", "10"));
    try (TestCluster cluster = new TestCluster(dir, 2, args)) {
      Process ps = cluster.start("ps", 0);
      Process chief = cluster.start("worker", 0);
      Process worker = cluster.start("worker", 1);
      // each replica takes every step in sync mode, so it logs every 10th
      assertTrue(
          cluster.awaitLog("worker1", "step 50, training accuracy", 90), cluster.log("worker1"));
      worker.destroyForcibly().waitFor();
      long killedAt = lastStep(cluster.log("worker0"));
      Thread.sleep(3000);
      long whileDead = lastStep(cluster.log("worker0"));
      assertTrue(whileDead <= killedAt + 10, "the chief waits: " + killedAt + " -> " + whileDead);
      assertTrue(whileDead < 300, "killed early enough to show the rejoin: " + whileDead);
      Process again = cluster.start("worker", 1);
      assertEquals(0, TestCluster.exitOf(chief, 120), cluster.log("worker0"));
      assertEquals(0, TestCluster.exitOf(again, 60), cluster.log("worker1"));
      assertEquals(0, TestCluster.exitOf(ps, 30), cluster.log("ps0"));
      assertTrue(lastStep(cluster.log("worker1")) > whileDead, cluster.log("worker1"));
      System.out.printf(
          "sync: chief at step %d when worker 1 was killed, %d 3 s later; run finished%n",
          killedAt, whileDead);
      assertTrue(Files.isRegularFile(runDir.resolve("saved_model/saved_model.pb")));
      assertTrue(cluster.log("worker1").contains("run finished at global step"));
    }
  }

  private static long lastStep(String log) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("step (\\d+), training accuracy").matcher(log);
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  /**
   * A sync chief killed and started again: it restores its checkpoint (global step included), gives
   * each replica a token for that step, and the run goes on to its end (the same in async mode, on
   * separate hosts: {@link NetnsClusterTest}).
   */
  @Test
  void syncChiefKilledAndStartedAgainResumesFromItsCheckpoint() throws Exception {
    Path runDir = dir.resolve("run");
    List<String> args = new ArrayList<>(TestCluster.beginners(600, runDir));
    args.add("--sync-replicas");
    try (TestCluster cluster = new TestCluster(dir, 2, args)) {
      Process ps = cluster.start("ps", 0);
      Process chief = cluster.start("worker", 0);
      Process worker = cluster.start("worker", 1);
      assertTrue(cluster.awaitLog("worker0", "epoch 2 ", 90), cluster.log("worker0"));
      chief.destroyForcibly().waitFor();
      Process again = cluster.start("worker", 0);
      assertEquals(0, TestCluster.exitOf(again, 120), cluster.log("worker0"));
      assertEquals(0, TestCluster.exitOf(worker, 60), cluster.log("worker1"));
      assertEquals(0, TestCluster.exitOf(ps, 30), cluster.log("ps0"));
      assertTrue(cluster.log("worker0").contains("resumed from"), cluster.log("worker0"));
      List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
      List<Integer> epochs = new ArrayList<>();
      long lastStep = -1;
      for (String row : rows.subList(1, rows.size())) {
        String[] cells = row.split(",");
        epochs.add(Integer.parseInt(cells[0]));
        long step = Long.parseLong(cells[1]);
        assertTrue(step > lastStep, "steps rise: " + rows);
        lastStep = step;
      }
      assertEquals(epochs.stream().distinct().count(), epochs.size(), "no repeated row: " + rows);
      assertTrue(lastStep >= 600, rows.toString());
    }
  }
}
