package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

@Tag("data")
class ExpertsCommandTest {
  @TempDir Path tmp;

  @Test
  void fifteenHundredStepsOnMnistSmallReachNinetyFivePercent() throws Exception {
    Path run = tmp.resolve("run");
    CliRun result =
        CliRun.of(
            "experts",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--steps",
            "1500",
            "--run-dir",
            run.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result.testAccuracy() >= 0.95,
        "reference 0.960 after 1,500 steps; got " + result.testAccuracy());
    assertTrue(result.out().contains("step 0, training accuracy "), result.out());
    assertTrue(result.out().contains("step 1400, training accuracy "), result.out());
    List<CSVRecord> rows = BeginnersCommandTest.readCsv(run.resolve("metrics.csv"));
    // 8,000 / 50 = 160 steps an epoch: 9 full epochs (1,440 steps) and a partial 10th.
    assertEquals(10, rows.size());
    assertEquals("1440", rows.get(8).get("step"));
    assertEquals("1500", rows.get(9).get("step"));
    assertTrue(run.resolve("checkpoint/latest").toFile().isFile());
  }

  @Test
  void epochsIsAnAlternativeToSteps() throws Exception {
    Path run = tmp.resolve("epochs");
    CliRun result =
        CliRun.of(
            "experts",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--epochs",
            "1",
            "--batch",
            "100",
            "--run-dir",
            run.toString());
    assertEquals(0, result.exitCode(), result.err());
    List<CSVRecord> rows = BeginnersCommandTest.readCsv(run.resolve("metrics.csv"));
    assertEquals(1, rows.size());
    assertEquals("80", rows.get(0).get("step"));
    assertTrue(result.testAccuracy() >= 0.80, "one epoch of the CNN; got " + result.testAccuracy());
  }
}
