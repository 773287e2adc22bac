package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * The launcher and the distributed runtime together, as a user tries a cluster on one machine:
 * {@code cluster --ps 1 --workers 2 -- beginners ...} trains one run over a ps and two workers, the
 * chief alone writes it, and every task, the ps included, exits 0.
 */
@Tag("data")
@Tag("cluster")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterCommandTrainingTest {
  @TempDir Path tmp;

  @Test
  void aLocalClusterTrainsOneRunThatOnlyTheChiefWrites() throws IOException {
    Path run = tmp.resolve("run");
    CliRun result =
        CliRun.of(
            "cluster",
            "--ps",
            "1",
            "--workers",
            "2",
            "--allow-external",
            "--",
            "beginners",
            "--steps",
            "240",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            run.toString());

    assertEquals(0, result.exitCode(), result.out() + result.err());
    List<String> lines = result.out().lines().toList();
    for (String task : List.of("ps:0", "worker:0", "worker:1")) {
      assertTrue(lines.contains("[cluster] " + task + " exited 0"), result.out());
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[worker:0] saved model: ")));
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("[worker:1] saved model")));
    assertTrue(Files.isRegularFile(run.resolve("saved_model/saved_model.pb")));
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(4, csv.size(), "a header and one row per epoch of 80 global steps: " + csv);
    double accuracy = Double.parseDouble(lastTestAccuracy(lines));
    assertTrue(accuracy >= 0.85, "test accuracy " + accuracy);
  }

  private static String lastTestAccuracy(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("[worker:0] test accuracy "))
        .reduce((a, b) -> b)
        .orElseThrow()
        .substring("[worker:0] test accuracy ".length())
        .trim();
  }
}
