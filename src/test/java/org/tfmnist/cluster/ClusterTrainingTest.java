package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 ps + 2 workers as child JVMs on loopback with {@code TF_CONFIG}, training the softmax model
 * synchronously on mnist-small (asynchronously: {@link ClusterReplicaTypesTest}): every task exits
 * 0, only the chief writes the run directory, and its test accuracy reaches the tutorial's level;
 * and a ps task killed with SIGKILL ends both workers with a non-zero exit and one line naming it,
 * in bounded time.
 */
@Tag("data")
@Tag("cluster")
class ClusterTrainingTest {
  @TempDir Path dir;

  @Test
  void syncSoftmaxOnOnePsAndTwoWorkers() throws Exception {
    Path runDir = trainsOnOnePsAndTwoWorkers(300, List.of("--sync-replicas"));
    Properties settings = new Properties();
    try (var in = Files.newBufferedReader(runDir.resolve("run.properties"))) {
      settings.load(in);
    }
    assertEquals("sync, 2 per step", settings.getProperty("cluster.updates"));
    for (String variable : List.of("W", "b", "global_step")) {
      assertEquals(
          "/job:ps/replica:0/task:0",
          settings.getProperty("device." + variable),
          variable + " in " + settings);
    }
    assertTrue(settings.getProperty("device.train/sync_rep_local_step").startsWith("/job:worker"));
  }

  private Path trainsOnOnePsAndTwoWorkers(long steps, List<String> options) throws Exception {
    Path runDir = dir.resolve("run");
    List<String> args = new java.util.ArrayList<>(TestCluster.beginners(steps, runDir));
    args.addAll(options);
    try (TestCluster cluster = new TestCluster(dir, 2, args)) {
      Process ps = cluster.start("ps", 0);
      Process chief = cluster.start("worker", 0);
      Process worker = cluster.start("worker", 1);
      assertEquals(0, TestCluster.exitOf(chief, 120), cluster.log("worker0"));
      assertEquals(0, TestCluster.exitOf(worker, 30), cluster.log("worker1"));
      assertEquals(0, TestCluster.exitOf(ps, 30), cluster.log("ps0"));
      assertTrue(cluster.log("ps0").contains("run finished"), cluster.log("ps0"));
      assertTrue(cluster.log("worker1").contains("run finished at global step"));
      assertFalse(cluster.log("worker1").contains("run directory"), "a worker writes nothing");
      List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
      String[] last = rows.get(rows.size() - 1).split(",");
      String header = rows.get(0);
      int column = List.of(header.split(",")).indexOf("test_accuracy");
      double accuracy = Double.parseDouble(last[column]);
      System.out.printf("%d steps %s: chief test accuracy %.4f%n", steps, options, accuracy);
      assertTrue(accuracy >= 0.89, "chief test accuracy " + accuracy);
      assertTrue(Files.isRegularFile(runDir.resolve("saved_model/saved_model.pb")));
    }
    return runDir;
  }

  @Test
  void psKilledEndsEveryWorkerWithOneLine() throws Exception {
    Path runDir = dir.resolve("run");
    try (TestCluster cluster = new TestCluster(dir, 2, TestCluster.beginners(1_000_000, runDir))) {
      Process ps = cluster.start("ps", 0);
      Process chief = cluster.start("worker", 0);
      Process worker = cluster.start("worker", 1);
      // a worker logs the global steps it happens to take: any multiple of 100 past 0 will do
      assertTrue(cluster.awaitLog("worker1", "00, training accuracy", 90), cluster.log("worker1"));
      ps.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      int chiefExit = TestCluster.exitOf(chief, 90);
      int workerExit = TestCluster.exitOf(worker, 90);
      double seconds = (System.nanoTime() - killed) / 1e9;
      System.out.printf("workers ended %.1f s after the ps was killed%n", seconds);
      for (String task : List.of("worker0", "worker1")) {
        String log = cluster.log(task);
        assertTrue(
            log.contains("error: lost /job:ps/replica:0/task:0 (127.0.0.1:"), task + ":\n" + log);
      }
      assertTrue(chiefExit > 0 && workerExit > 0, chiefExit + " " + workerExit);
    }
  }
}
