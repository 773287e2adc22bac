package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.data.Dataset;

@Tag("unit")
class ClusterConfigTest {
  private static final String CLUSTER =
      "\"cluster\":{\"worker\":[\"127.0.0.1:2001\",\"127.0.0.1:2002\"],"
          + "\"ps\":[\"127.0.0.1:2000\"]}";

  private static String tfConfig(String type, int index) {
    return "{" + CLUSTER + ",\"task\":{\"type\":\"" + type + "\",\"index\":" + index + "}}";
  }

  @Test
  void neitherGivenIsOneProcess() throws Exception {
    assertEquals(Optional.empty(), ClusterConfig.resolve(null, ReplicaFlags.NONE));
    assertEquals(Optional.empty(), ClusterConfig.resolve(" ", ReplicaFlags.NONE));
  }

  @Test
  void workerZeroIsChiefWithoutAChiefJob() throws Exception {
    ClusterConfig chief = ClusterConfig.resolve(tfConfig("worker", 0), ReplicaFlags.NONE).get();
    assertTrue(chief.isChief());
    assertEquals(2, chief.replicaCount());
    ClusterConfig worker = ClusterConfig.resolve(tfConfig("worker", 1), ReplicaFlags.NONE).get();
    assertFalse(worker.isChief());
    assertEquals(1, worker.replicaIndex());
    assertEquals("/job:worker/replica:0/task:1", worker.taskName());
    var def = ClusterServer.serverDef(worker);
    assertEquals("worker", def.getJobName());
    assertEquals(2, def.getCluster().getJobCount());
  }

  @Test
  void chiefJobComesFirst() throws Exception {
    String json =
        "{\"cluster\":{\"chief\":[\"h:1\"],\"worker\":[\"h:2\"],\"ps\":[\"h:3\"]},"
            + "\"task\":{\"type\":\"worker\",\"index\":0}}";
    ClusterConfig worker = ClusterConfig.resolve(json, ReplicaFlags.NONE).get();
    assertFalse(worker.isChief());
    assertEquals(1, worker.replicaIndex());
  }

  /** Kubeflow's {@code Master} replica: the chief under its old name, in the cluster and task. */
  @Test
  void masterIsTheChief() throws Exception {
    String json =
        "{\"cluster\":{\"master\":[\"h:1\"],\"worker\":[\"h:2\"],\"ps\":[\"h:3\"]},"
            + "\"task\":{\"type\":\"master\",\"index\":0}}";
    ClusterConfig master = ClusterConfig.resolve(json, ReplicaFlags.NONE).get();
    assertTrue(master.isChief());
    assertEquals(TaskType.CHIEF, master.type());
    assertEquals(2, master.replicaCount());
    assertEquals("h:1", master.address());
    ClusterConfig worker =
        ClusterConfig.resolve(
                json.replace("\"master\",\"index", "\"worker\",\"index"), ReplicaFlags.NONE)
            .get();
    assertFalse(worker.isChief());
    assertEquals(1, worker.replicaIndex());
    assertEquals("/job:chief/replica:0/task:0", ClusterConfig.taskName(worker.chiefType(), 0));
  }

  /**
   * Kubeflow's {@code Evaluator}: its task is outside the cluster (the operator leaves it out of
   * {@code cluster}); listed there anyway, it is dropped, so no server's cluster includes it.
   */
  @Test
  void evaluatorIsOutsideTheCluster() throws Exception {
    ClusterConfig evaluator =
        ClusterConfig.resolve(tfConfig("evaluator", 0), ReplicaFlags.NONE).get();
    assertTrue(evaluator.isEvaluator());
    assertFalse(evaluator.isChief() || evaluator.isPs());
    assertEquals(2, evaluator.replicaCount());
    assertEquals(-1, evaluator.replicaIndex());
    String listed =
        "{\"cluster\":{\"worker\":[\"h:1\"],\"ps\":[\"h:2\"],\"evaluator\":[\"h:3\"]},"
            + "\"task\":{\"type\":\"worker\",\"index\":0}}";
    ClusterConfig chief = ClusterConfig.resolve(listed, ReplicaFlags.NONE).get();
    assertEquals(List.of(), chief.tasks(TaskType.EVALUATOR));
    assertEquals(2, ClusterServer.serverDef(chief).getCluster().getJobCount());
  }

  @Test
  void flagsMatchTfConfigsView() throws Exception {
    ReplicaFlags flags =
        new ReplicaFlags("127.0.0.1:2000", "127.0.0.1:2001,127.0.0.1:2002", "worker", 1);
    ClusterConfig config = ClusterConfig.resolve(null, flags).get();
    assertEquals(1, config.replicaIndex());
    assertTrue(ClusterConfig.resolve(tfConfig("worker", 1), flags).isPresent());
  }

  @Test
  void badInputIsOneLineNamingTheSource() {
    assertMessage("TF_CONFIG: not valid JSON", "{\"cluster\":");
    assertMessage("TF_CONFIG: unknown task type \"tpu_worker\"", tfConfig("tpu_worker", 0));
    assertMessage(
        "TF_CONFIG: task index 2 out of range: the cluster has 2 worker tasks",
        tfConfig("worker", 2));
    assertMessage(
        "TF_CONFIG: the cluster has no ps task; supported layouts: ps + worker (worker 0 is the"
            + " chief), ps + chief (or master) + worker, each with an optional evaluator",
        "{\"cluster\":{\"worker\":[\"h:1\"]},\"task\":{\"type\":\"worker\",\"index\":0}}");
    assertMessage(
        "TF_CONFIG: cluster names both \"chief\" and \"master\"",
        "{\"cluster\":{\"chief\":[\"h:1\"],\"master\":[\"h:2\"],\"ps\":[\"h:3\"]},"
            + "\"task\":{\"type\":\"ps\"}}");
    assertMessage(
        "TF_CONFIG: evaluator index 1: one evaluator (index 0) is supported",
        tfConfig("evaluator", 1));
    assertMessage(
        "TF_CONFIG: address \"h\" is not host:port",
        "{\"cluster\":{\"worker\":[\"h\"],\"ps\":[\"h:2\"]},\"task\":{\"type\":\"ps\"}}");
    ClusterConfigException contradiction =
        assertThrows(
            ClusterConfigException.class,
            () ->
                ClusterConfig.resolve(
                    tfConfig("worker", 1),
                    new ReplicaFlags(
                        "127.0.0.1:2000", "127.0.0.1:2001,127.0.0.1:2002", "worker", 0)));
    assertTrue(
        contradiction.getMessage().startsWith("--task_index 0 contradicts TF_CONFIG"),
        contradiction.getMessage());
    ClusterConfigException missing =
        assertThrows(
            ClusterConfigException.class,
            () -> ClusterConfig.resolve(null, new ReplicaFlags("h:1", null, "ps", 0)));
    assertTrue(missing.getMessage().startsWith("--worker_hosts is missing"));
  }

  @Test
  void shardsAreDisjointCoveringAndDeterministic() {
    int n = 101;
    float[] images = new float[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      images[i] = i;
      labels[i] = i % 10;
    }
    Dataset data = new Dataset(images, labels, 1);
    boolean[] seen = new boolean[n];
    int total = 0;
    for (int shard = 0; shard < 3; shard++) {
      Dataset part = DataShards.shard(data, 3, shard, 7);
      assertEquals(part.images()[0], DataShards.shard(data, 3, shard, 7).images()[0], "same seed");
      for (float image : part.images()) {
        assertFalse(seen[(int) image], "example " + image + " in two shards");
        seen[(int) image] = true;
      }
      total += part.size();
    }
    assertEquals(n, total);
  }

  private static void assertMessage(String prefix, String json) {
    ClusterConfigException e =
        assertThrows(
            ClusterConfigException.class, () -> ClusterConfig.resolve(json, ReplicaFlags.NONE));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
