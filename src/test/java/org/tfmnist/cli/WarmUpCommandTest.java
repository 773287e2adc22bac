package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The build's warm-up (for the CDS archive) runs experts, evaluate, predict and serve without data.
 */
class WarmUpCommandTest {
  @Test
  void runsEveryMainPathOnSyntheticDataAndLeavesNothingBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = countWarmUpDirs(tmp);
    CliRun result = CliRun.of("warm-up");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result.out().startsWith("warm-up: experts, evaluate, predict and serve ran in"),
        result.out());
    assertEquals(
        1, result.out().lines().count(), "the commands' own output is silenced: " + result.out());
    assertEquals(before, countWarmUpDirs(tmp), "its temporary directory is deleted");
  }

  private static long countWarmUpDirs(Path tmp) throws Exception {
    try (var list = Files.list(tmp)) {
      return list.filter(p -> p.getFileName().toString().startsWith("tfmnist-warm-up")).count();
    }
  }
}
