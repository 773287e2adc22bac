package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad cluster input on the command line: exit 2 and one line naming the flag, before any data is
 * loaded or server started.
 */
@Tag("unit")
class ClusterBadInputTest {
  private static void assertOneLine(String expectedStart, String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("error: " + expectedStart), err);
  }

  @Test
  void unknownJobName() {
    assertOneLine(
        "--job_name chief: unknown job (ps or worker)",
        "beginners",
        "--ps_hosts",
        "127.0.0.1:1",
        "--worker_hosts",
        "127.0.0.1:2",
        "--job_name",
        "chief",
        "--task_index",
        "0");
  }

  @Test
  void taskIndexOutOfRange() {
    assertOneLine(
        "--worker_hosts/--task_index: task index 2 out of range: the cluster has 1 worker task",
        "experts",
        "--ps_hosts",
        "127.0.0.1:1",
        "--worker_hosts",
        "127.0.0.1:2",
        "--job_name",
        "worker",
        "--task_index",
        "2");
  }

  @Test
  void syncWithoutACluster() {
    assertOneLine("--sync-replicas: only in a cluster", "beginners", "--sync-replicas");
  }

  @Test
  void portAlreadyInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      String address = "127.0.0.1:" + taken.getLocalPort();
      assertOneLine(
          "--ps_hosts/--task_index: ps:0 address "
              + address
              + ": port "
              + taken.getLocalPort()
              + " already in use",
          "train",
          "--model",
          "softmax",
          "--ps_hosts",
          address,
          "--worker_hosts",
          "127.0.0.1:2",
          "--job_name",
          "ps",
          "--task_index",
          "0");
    }
  }
}
