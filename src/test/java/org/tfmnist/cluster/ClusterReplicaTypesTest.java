package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.cli.CliRun;

/**
 * Kubeflow's replica types beside ps and worker, as child JVMs on loopback, training the softmax
 * model asynchronously (600 steps): a {@code master} (the chief under its old name: it alone writes
 * the run, and reaches the tutorial's accuracy) with a worker and a ps, and an {@code evaluator}
 * outside the cluster (the operator's TF_CONFIG: its task type, the cluster without it) that
 * evaluates each new checkpoint; its last CSV row equals {@code evaluate} on the exported
 * SavedModel, which is the final checkpoint.
 */
@Tag("data")
@Tag("cluster")
class ClusterReplicaTypesTest {
  private static final Pattern CORRECT = Pattern.compile("(\\d+) of (\\d+) test images correct");

  @TempDir Path dir;

  @Test
  void masterTrainsAsTheChiefAndTheEvaluatorFollowsItsCheckpoints() throws Exception {
    Path runDir = dir.resolve("run");
    Map<String, Integer> jobs = new LinkedHashMap<>();
    jobs.put("master", 1);
    jobs.put("worker", 1);
    jobs.put("ps", 1);
    List<String> args = TestCluster.beginners(600, runDir);
    try (TestCluster cluster = new TestCluster(dir, jobs, args)) {
      Process evaluator = cluster.start("evaluator", 0);
      Process ps = cluster.start("ps", 0);
      Process master = cluster.start("master", 0);
      Process worker = cluster.start("worker", 0);
      assertEquals(0, TestCluster.exitOf(master, 120), cluster.log("master0"));
      assertEquals(0, TestCluster.exitOf(worker, 30), cluster.log("worker0"));
      assertEquals(0, TestCluster.exitOf(ps, 30), cluster.log("ps0"));
      assertEquals(0, TestCluster.exitOf(evaluator, 60), cluster.log("evaluator0"));
      assertTrue(cluster.log("master0").contains("run directory"), cluster.log("master0"));
      assertFalse(cluster.log("worker0").contains("run directory"), "a worker writes nothing");
      assertTrue(cluster.log("evaluator0").contains("evaluator exits"), cluster.log("evaluator0"));
      assertTrue(cluster.log("ps0").contains("run finished"), cluster.log("ps0"));
      assertTrue(cluster.log("worker0").contains("run finished at global step"));
      List<String> chiefRows = Files.readAllLines(runDir.resolve("metrics.csv"));
      int column = List.of(chiefRows.get(0).split(",")).indexOf("test_accuracy");
      double accuracy = Double.parseDouble(chiefRows.get(chiefRows.size() - 1).split(",")[column]);
      System.out.printf("600 async steps: the master's test accuracy %.4f%n", accuracy);
      assertTrue(accuracy >= 0.89, "the master's test accuracy " + accuracy);

      List<String> rows = Files.readAllLines(runDir.resolve("eval/metrics.csv"));
      assertEquals("step,test_loss,test_accuracy,test_correct,test_total", rows.get(0));
      long previous = -1;
      for (String row : rows.subList(1, rows.size())) {
        long step = Long.parseLong(row.split(",")[0]);
        assertTrue(step > previous, "each checkpoint once, in order: " + rows);
        previous = step;
      }
      assertTrue(previous >= 600, rows.toString());
      String[] last = rows.get(rows.size() - 1).split(",");
      try (Stream<Path> events = Files.list(runDir.resolve("logs/eval"))) {
        assertTrue(
            events.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents")),
            "TensorBoard eval events");
      }

      CliRun evaluate =
          CliRun.of(
              "evaluate",
              "--model",
              runDir.resolve("saved_model").toString(),
              "--data-dir",
              TestData.mnistSmallDir().toString());
      assertEquals(0, evaluate.exitCode(), evaluate.err());
      Matcher correct = CORRECT.matcher(evaluate.out());
      assertTrue(correct.find(), evaluate.out());
      System.out.printf(
          "evaluator's last row: %s of %s at step %s; evaluate: %s of %s%n",
          last[3], last[4], last[0], correct.group(1), correct.group(2));
      assertEquals(correct.group(1), last[3], "correct test images, evaluator vs evaluate");
      assertEquals(correct.group(2), last[4]);

      // the same job started again (a TFJob applied again): the master finds its finished run,
      // ends the ps and exits 0 instead of failing in a restart loop
      Process psAgain = cluster.start("ps", 0);
      Process masterAgain = cluster.start("master", 0);
      assertEquals(0, TestCluster.exitOf(masterAgain, 120), cluster.log("master0"));
      assertEquals(0, TestCluster.exitOf(psAgain, 30), cluster.log("ps0"));
      assertTrue(cluster.log("master0").contains("run already finished"), cluster.log("master0"));
    }
  }
}
