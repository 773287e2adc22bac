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
   * In synchronous mode, so the run cannot finish without the worker: each step needs both
   * replicas' gradients.
   */
  @Test
  void workerKilledAndStartedAgainRejoins() throws Exception {
    Path runDir = dir.resolve("run");
    List<String> args = new ArrayList<>(TestCluster.beginners(400, runDir));
    args.add("--sync-replicas");
    try (TestCluster cluster = new TestCluster(dir, 2, args)) {
      Process ps = cluster.start("ps", 0);
      Process chief = cluster.start("worker", 0);
      Process worker = cluster.start("worker", 1);
      // a worker logs the global steps it happens to take: any multiple of 100 past 0 will do
      assertTrue(cluster.awaitLog("worker1", "00, training accuracy", 90), cluster.log("worker1"));
      worker.destroyForcibly().waitFor();
      Process again = cluster.start("worker", 1);
      assertEquals(0, TestCluster.exitOf(chief, 120), cluster.log("worker0"));
      assertEquals(0, TestCluster.exitOf(again, 60), cluster.log("worker1"));
      assertEquals(0, TestCluster.exitOf(ps, 30), cluster.log("ps0"));
      assertTrue(Files.isRegularFile(runDir.resolve("saved_model/saved_model.pb")));
      assertTrue(cluster.log("worker1").contains("run finished at global step"));
    }
  }

  @Test
  void chiefKilledAndStartedAgainResumesFromItsCheckpoint() throws Exception {
    Path runDir = dir.resolve("run");
    try (TestCluster cluster = new TestCluster(dir, 2, TestCluster.beginners(1200, runDir))) {
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
      assertTrue(lastStep >= 1200, rows.toString());
    }
  }
}
