package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tfmnist.cluster.ServerExposure;

/**
 * {@code cluster} starts this CLI's own main in every task with the command after {@code --}; bad
 * input costs one line naming the problem and exit 2, before any task starts.
 */
class ClusterCommandTest {
  @Test
  void everyTaskRunsTheCliWithTheCommandAfterTheDelimiter() {
    CliRun run =
        CliRun.of(
            "cluster",
            "--ps",
            "1",
            "--workers",
            "1",
            "--allow-external",
            "--",
            "beginners",
            "--help");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.contains("[cluster] " + ServerExposure.NOTICE), run.out());
    for (String task : List.of("ps:0", "worker:0")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("[" + task + "] Usage: tfmnist beginners ")),
          run.out());
      assertTrue(lines.contains("[cluster] " + task + " exited 0"), run.out());
    }
  }

  /**
   * Without --allow-external, a machine with addresses beyond loopback (this one's eth0, where it
   * has one) is refused before any task starts: one line naming the addresses and the way out.
   */
  @Test
  void refusesWhereTheServersWouldBeReachableFromOutside() {
    List<String> external = ServerExposure.externalAddresses();
    Assumptions.assumeFalse(
        external.isEmpty(), "this machine has loopback only: nothing to refuse");
    CliRun run = CliRun.of("cluster", "--ps", "1", "--workers", "1", "--", "beginners", "--help");

    assertEquals(2, run.exitCode(), run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("error: cluster: " + ServerExposure.NOTICE), err);
    assertTrue(err.contains(external.get(0)) && err.contains("--allow-external"), err);
    assertEquals("", run.out());
  }

  @Test
  void loopbackOnlyIsNotRefused() {
    assertEquals(Optional.empty(), ServerExposure.refusal(List.of(), List.of(40001)));
    String refusal = ServerExposure.refusal(List.of("eth0 192.0.2.2"), List.of(40001)).get();
    assertTrue(refusal.contains("(eth0 192.0.2.2): ports [40001]"), refusal);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "experts"
            + " | put the training command after --: cluster --ps 1 --workers 2 -- experts ...",
        "--workers 0 -- experts | --workers: 1 to 64, got 0",
        "--ps 0 -- experts | --ps: 1 to 64, got 0",
        "-- | no command after --: use beginners, experts, train",
        "-- serve --model m | 'serve' is not a training command after --: use beginners, experts,"
            + " train",
        "-- experts --job_name=ps"
            + " | --job_name after --: cluster gives each task its TF_CONFIG; drop --job_name",
        "--ps 1 -- beginners --ps_hosts 127.0.0.1:1"
            + " | --ps_hosts after --: cluster gives each task its TF_CONFIG; drop --ps_hosts",
      })
  void badInputGetsOneLineAndExitCode2(String args, String message) {
    CliRun run = CliRun.of(("cluster " + args).split(" "));

    assertEquals(2, run.exitCode(), run.err());
    assertEquals(message, run.err().lines().findFirst().orElse(""));
    assertEquals("", run.out());
  }
}
