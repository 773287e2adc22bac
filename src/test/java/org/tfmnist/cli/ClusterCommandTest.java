package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cluster} starts this CLI's own main in every task with the command after {@code --}; bad
 * input costs one line naming the problem and exit 2, before any task starts.
 */
class ClusterCommandTest {
  @Test
  void everyTaskRunsTheCliWithTheCommandAfterTheDelimiter() {
    CliRun run = CliRun.of("cluster", "--ps", "1", "--workers", "1", "--", "beginners", "--help");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    for (String task : List.of("ps:0", "worker:0")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("[" + task + "] Usage: tfmnist beginners ")),
          run.out());
      assertTrue(lines.contains("[cluster] " + task + " exited 0"), run.out());
    }
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
