package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/** A run killed with SIGKILL mid-epoch and resumed ends like an uninterrupted one. */
@Tag("data")
class ResumeTest {
  private static final long STEPS = 480; // three epochs of 160 steps on mnist-small

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
    Process process = startExperts(data, killed);
    try {
      // Wait for the second epoch's checkpoint, then kill the run in the middle of the third.
      Path latest = killed.resolve("checkpoint/latest");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!(Files.exists(latest) && Files.readString(latest).trim().equals("ckpt-320"))) {
        assertTrue(
            process.isAlive(),
            "training process ended early: "
                + Files.readString(killed.resolveSibling("killed.log")));
        assertTrue(System.nanoTime() < deadline, "no checkpoint after 5 minutes");
        Thread.sleep(100);
      }
      Thread.sleep(1500);
      assertTrue(process.isAlive(), "the run must still be mid-epoch when killed");
      process.destroyForcibly(); // SIGKILL
      process.waitFor(30, TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly();
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

  private Process startExperts(String data, Path runDir) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "experts",
            "--data-dir",
            data,
            "--steps",
            Long.toString(STEPS),
            "--run-dir",
            runDir.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(runDir.resolveSibling("killed.log").toString()));
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return builder.start();
  }
}
