package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SmallMnist;
import org.tfmnist.runtime.Precision;

/**
 * {@code experts --fast}: the preset is recorded in run.properties, and a killed run resumes with
 * it.
 */
@Tag("data")
class ExpertsFastTest {
  @TempDir Path tmp;

  @Test
  void thePresetIsRecordedAndAKilledRunResumesWithIt() throws Exception {
    Path data = SmallMnist.write(tmp.resolve("data"), 400, 200);
    Path run = tmp.resolve("run");
    // batch 100 over 400 images: an epoch (and a checkpoint) every 4 steps; 40 steps in all. The
    // run is killed (SIGKILL) at step 6, half-way through its second epoch.
    try (PausedTraining killed =
        PausedTraining.start(
            6,
            List.of(
                "experts",
                "--fast",
                "--batch",
                "100",
                "--steps",
                "40",
                "--log-every",
                "4",
                "--data-dir",
                data.toString(),
                "--run-dir",
                run.toString()))) {
      killed.awaitPause();
      assertTrue(killed.isAlive(), "the run must still be mid-epoch when killed");
      killed.kill();
    }
    String killedAt = Files.readString(run.resolve("checkpoint/latest")).trim();
    assertEquals("ckpt-4", killedAt, "the first epoch's checkpoint, the last before step 6");

    Properties settings = new Properties();
    try (var in = Files.newBufferedReader(run.resolve("run.properties"))) {
      settings.load(in);
    }
    assertEquals("cosine", settings.getProperty("lr-schedule"));
    assertEquals("0.002", settings.getProperty("learning-rate"));
    assertEquals("1", settings.getProperty("augment-shift"));
    assertEquals(
        "100", settings.getProperty("batch"), "--batch beside --fast overrides the preset's 128");
    assertEquals("40", settings.getProperty("steps"));
    assertEquals(
        Precision.fastest().id(),
        settings.getProperty("precision"),
        "bfloat16 where this CPU has it natively, float32 elsewhere");

    CliRun resumed = CliRun.of("experts", "--resume", run.toString());
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(
        resumed.out().contains("at step " + killedAt.substring("ckpt-".length())), resumed.out());
    List<String> steps =
        BeginnersCommandTest.readCsv(run.resolve("metrics.csv")).stream()
            .map(r -> r.get("step"))
            .toList();
    List<String> expected = new ArrayList<>();
    for (int step = 4; step <= 40; step += 4) {
      expected.add(Integer.toString(step));
    }
    assertEquals(expected, steps, "no duplicated or missing rows");
    assertTrue(
        resumed.testAccuracy() > 0.5,
        "40 steps of Adam 2e-3 on 400 images; got " + resumed.testAccuracy());
  }

  @Test
  void thePresetsStepsAndPrecisionCanBeOverriddenAndABadPrecisionIsRefused() throws Exception {
    Path data = SmallMnist.write(tmp.resolve("data"), 200, 100);
    Path run = tmp.resolve("float32");
    CliRun result =
        CliRun.of(
            "experts",
            "--fast",
            "--precision",
            "float32",
            "--batch",
            "50",
            "--steps",
            "8",
            "--data-dir",
            data.toString(),
            "--run-dir",
            run.toString());
    assertEquals(0, result.exitCode(), result.err());
    Properties settings = new Properties();
    try (var in = Files.newBufferedReader(run.resolve("run.properties"))) {
      settings.load(in);
    }
    assertEquals("float32", settings.getProperty("precision"));
    assertEquals("8", settings.getProperty("steps"));

    CliRun bad =
        CliRun.of(
            "experts",
            "--precision",
            "float16",
            "--data-dir",
            data.toString(),
            "--run-dir",
            tmp.resolve("bad").toString());
    assertEquals(2, bad.exitCode());
    assertTrue(
        bad.err().contains("--precision must be one of float32, bfloat16, got float16"), bad.err());
    assertTrue(!Files.exists(tmp.resolve("bad")), "no run directory for refused options");
  }

  @Test
  void fastDecaysOverStepsSoEpochsAreRefused() {
    CliRun result = CliRun.of("experts", "--fast", "--epochs", "2", "--data-dir", tmp.toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("--fast decays its learning rate over --steps"), result.err());
  }
}
