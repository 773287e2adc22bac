package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cluster}'s bad input: one line naming the problem and exit 2, before any task starts. */
class ClusterCommandTest {
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
