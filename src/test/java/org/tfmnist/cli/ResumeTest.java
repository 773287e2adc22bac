package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * A run killed with SIGKILL mid-epoch and resumed ends like an uninterrupted one. The run is killed
 * at step 400 (third epoch of 160 steps), where {@link PausedTraining} holds it, not after a sleep.
 */
@Tag("data")
class ResumeTest {
  private static final long STEPS = 480; // three epochs of 160 steps on mnist-small

  /** Where the killed run stops: half-way through its third epoch. */
  private static final long KILLED_AT = 400;

  @TempDir Path tmp;

  @Test
  void killedRunResumesWithCompleteCsvAndTheSameAccuracy() throws Exception {
    String data = TestData.mnistSmallDir().toString();
    Path whole = tmp.resolve("whole");
    CliRun uninterrupted =
        CliRun.of(
            "experts",
            "--data-dir",
            data,
            "--steps",
            Long.toString(STEPS),
            "--run-dir",
            whole.toString());
    assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

    Path killed = tmp.resolve("killed");
    try (PausedTraining run =
        PausedTraining.start(
            KILLED_AT,
            List.of(
                "experts",
                "--data-dir",
                data,
                "--steps",
                Long.toString(STEPS),
                "--run-dir",
                killed.toString()))) {
      // the second epoch's checkpoint is written; the run is half-way through the third
      run.awaitPause();
      assertEquals(
          "ckpt-320", Files.readString(killed.resolve("checkpoint/latest")).trim(), run.output());
      assertTrue(run.isAlive(), "the run must still be mid-epoch when killed");
      run.kill(); // SIGKILL
    }
    assertEquals(2, BeginnersCommandTest.readCsv(killed.resolve("metrics.csv")).size());

    CliRun resumed = CliRun.of("experts", "--resume", killed.toString());
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("at step 320"), resumed.out());

    List<CSVRecord> rows = BeginnersCommandTest.readCsv(killed.resolve("metrics.csv"));
    List<String> steps = rows.stream().map(r -> r.get("step")).toList();
    assertEquals(List.of("160", "320", "480"), steps, "no duplicated or missing rows");
    assertEquals(List.of("1", "2", "3"), rows.stream().map(r -> r.get("epoch")).toList());
    double difference = Math.abs(resumed.testAccuracy() - uninterrupted.testAccuracy());
    assertTrue(
        difference <= 0.005,
        "resumed " + resumed.testAccuracy() + " vs uninterrupted " + uninterrupted.testAccuracy());
    assertTrue(Files.isRegularFile(killed.resolve("saved_model/saved_model.pb")));
  }
}
