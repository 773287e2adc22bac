package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

@Tag("data")
class BeginnersCommandTest {
  @TempDir Path tmp;

  @Test
  void tutorialDefaultsOnMnistSmallReachTheNumpyFigureAndLogEveryEpoch() throws Exception {
    Path run = tmp.resolve("run");
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            run.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result.testAccuracy() >= 0.90, "numpy gives 0.909-0.912; got " + result.testAccuracy());

    List<CSVRecord> rows = readCsv(run.resolve("metrics.csv"));
    // 8,000 images / 100 per batch = 80 steps an epoch: 12 full epochs and a partial 13th.
    assertEquals(13, rows.size());
    for (int i = 0; i < 12; i++) {
      assertEquals(Integer.toString(i + 1), rows.get(i).get("epoch"));
      assertEquals(Integer.toString(80 * (i + 1)), rows.get(i).get("step"));
    }
    assertEquals("1000", rows.get(12).get("step"));
    assertEquals(
        result.testAccuracy(), Double.parseDouble(rows.get(12).get("test_accuracy")), 5e-5);
    double firstLoss = Double.parseDouble(rows.get(0).get("loss"));
    double lastLoss = Double.parseDouble(rows.get(12).get("loss"));
    assertTrue(lastLoss < firstLoss, "training loss falls: " + firstLoss + " -> " + lastLoss);
    double previousElapsed = 0;
    for (CSVRecord row : rows) {
      double elapsed = Double.parseDouble(row.get("elapsed_seconds"));
      assertTrue(elapsed > previousElapsed);
      previousElapsed = elapsed;
      double accuracy = Double.parseDouble(row.get("test_accuracy"));
      assertTrue(accuracy > 0.8 && accuracy <= 1.0, "test_accuracy " + accuracy);
    }
    assertTrue(Files.isRegularFile(run.resolve("saved_model/saved_model.pb")));
    assertTrue(Files.isRegularFile(run.resolve("saved_model/variables/variables.index")));
  }

  @Test
  void sameSeedGivesTheSameCsvNumbers() throws Exception {
    String data = TestData.mnistSmallDir().toString();
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertEquals(
        0,
        CliRun.of(
                "beginners",
                "--data-dir",
                data,
                "--steps",
                "200",
                "--seed",
                "7",
                "--run-dir",
                a.toString())
            .exitCode());
    assertEquals(
        0,
        CliRun.of(
                "beginners",
                "--data-dir",
                data,
                "--steps",
                "200",
                "--seed",
                "7",
                "--run-dir",
                b.toString())
            .exitCode());
    assertEquals(
        0,
        CliRun.of(
                "beginners",
                "--data-dir",
                data,
                "--steps",
                "200",
                "--seed",
                "8",
                "--run-dir",
                c.toString())
            .exitCode());
    List<CSVRecord> ra = readCsv(a.resolve("metrics.csv"));
    List<CSVRecord> rb = readCsv(b.resolve("metrics.csv"));
    List<CSVRecord> rc = readCsv(c.resolve("metrics.csv"));
    assertEquals(ra.size(), rb.size());
    boolean anyDiffers = false;
    for (int i = 0; i < ra.size(); i++) {
      for (String column :
          List.of("epoch", "step", "loss", "accuracy", "test_loss", "test_accuracy")) {
        assertEquals(
            Double.parseDouble(ra.get(i).get(column)),
            Double.parseDouble(rb.get(i).get(column)),
            1e-5,
            column + " row " + i);
      }
      anyDiffers |= !ra.get(i).get("loss").equals(rc.get(i).get("loss"));
    }
    assertTrue(anyDiffers, "another seed shuffles differently");
  }

  @Test
  void fullSizeFashionMnistGivesOneFullAndOnePartialEpoch() throws Exception {
    Path fashion = TestData.fashionMnistDir();
    Path run = tmp.resolve("fashion");
    CliRun result =
        CliRun.of("beginners", "--data-dir", fashion.toString(), "--run-dir", run.toString());
    assertEquals(0, result.exitCode(), result.err());
    List<CSVRecord> rows = readCsv(run.resolve("metrics.csv"));
    assertEquals(
        2, rows.size(), "600 steps of 100 make one epoch of 60,000; 400 more a partial one");
    assertEquals("600", rows.get(0).get("step"));
    assertEquals("1000", rows.get(1).get("step"));
    assertTrue(result.testAccuracy() >= 0.80, "numpy gives 0.826; got " + result.testAccuracy());
  }

  @Test
  void missingDataFilesGiveOneLineNamingEachFile() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path run = tmp.resolve("never");
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            empty.toString(),
            "--mirror",
            "http://127.0.0.1:9/",
            "--run-dir",
            run.toString());
    assertEquals(1, result.exitCode());
    String err = result.err().strip();
    assertFalse(err.contains("\n"), "one line: " + err);
    assertFalse(err.contains("Exception"), "no stack trace: " + err);
    for (String file :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      assertTrue(err.contains(file), err);
    }
    assertTrue(err.contains("--data-dir"), err);
    assertFalse(Files.exists(run), "nothing written for a run that could not start");
    try (var left = Files.list(empty)) {
      assertEquals(0, left.count(), "no partial downloads left");
    }
  }

  @Test
  void resumeRefusesOtherSettingsAndAFinishedRun() throws Exception {
    Path run = tmp.resolve("finished");
    assertEquals(
        0,
        CliRun.of(
                "beginners",
                "--data-dir",
                TestData.mnistSmallDir().toString(),
                "--steps",
                "80",
                "--run-dir",
                run.toString())
            .exitCode());
    CliRun withSteps = CliRun.of("beginners", "--resume", run.toString(), "--steps", "160");
    assertEquals(2, withSteps.exitCode());
    assertTrue(withSteps.err().contains("remove --steps"), withSteps.err());
    CliRun finished = CliRun.of("beginners", "--resume", run.toString());
    assertEquals(1, finished.exitCode());
    assertTrue(finished.err().contains("run already finished (step 80 of 80)"), finished.err());
    assertEquals(1, readCsv(run.resolve("metrics.csv")).size(), "the log is untouched");
    CliRun otherCommand = CliRun.of("experts", "--resume", run.toString());
    assertEquals(1, otherCommand.exitCode());
    assertTrue(
        otherCommand.err().contains("is a 'beginners' run; continue it with: beginners --resume"),
        otherCommand.err());
    CliRun notARun = CliRun.of("beginners", "--resume", tmp.resolve("nope").toString());
    assertEquals(1, notARun.exitCode());
    assertTrue(notARun.err().contains("run.properties: not found"), notARun.err());
  }

  @Test
  void aRunThatFinishedTrainingButLostItsExportIsExportedOnResume() throws Exception {
    Path run = tmp.resolve("unexported");
    assertEquals(
        0,
        CliRun.of(
                "beginners",
                "--data-dir",
                TestData.mnistSmallDir().toString(),
                "--steps",
                "80",
                "--run-dir",
                run.toString())
            .exitCode());
    byte[] variables =
        Files.readAllBytes(run.resolve("saved_model/variables/variables.data-00000-of-00001"));
    try (var files = Files.walk(run.resolve("saved_model"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    CliRun resumed = CliRun.of("beginners", "--resume", run.toString());
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("exporting it"), resumed.out());
    assertArrayEquals(
        variables,
        Files.readAllBytes(run.resolve("saved_model/variables/variables.data-00000-of-00001")));
    assertEquals(1, readCsv(run.resolve("metrics.csv")).size());
  }

  @Test
  void imagesThatAreNot28x28AreRejectedBeforeARunStarts() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("eight-by-eight"));
    TestData.writeImages(
        data.resolve("train-images-idx3-ubyte.gz"), 20, 8, 8, TestData.pixels(20, 8, 8), true);
    TestData.writeLabels(data.resolve("train-labels-idx1-ubyte.gz"), 20, TestData.labels(20), true);
    TestData.writeImages(
        data.resolve("t10k-images-idx3-ubyte.gz"), 10, 8, 8, TestData.pixels(10, 8, 8), true);
    TestData.writeLabels(data.resolve("t10k-labels-idx1-ubyte.gz"), 10, TestData.labels(10), true);
    Path run = tmp.resolve("never-started");
    CliRun result =
        CliRun.of("beginners", "--data-dir", data.toString(), "--run-dir", run.toString());
    assertEquals(1, result.exitCode());
    assertTrue(
        result
            .err()
            .strip()
            .endsWith("images have 64 pixels; the tutorials' models take 28x28 = 784"),
        result.err());
    assertFalse(Files.exists(run));
  }

  @Test
  void aNewRunNeverReusesAnotherRunsDirectory() throws Exception {
    Path run = tmp.resolve("taken");
    String data = TestData.mnistSmallDir().toString();
    assertEquals(
        0,
        CliRun.of("beginners", "--data-dir", data, "--steps", "10", "--run-dir", run.toString())
            .exitCode());
    String before = Files.readString(run.resolve("metrics.csv"));
    CliRun again =
        CliRun.of("beginners", "--data-dir", data, "--steps", "10", "--run-dir", run.toString());
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(before, Files.readString(run.resolve("metrics.csv")));
  }

  static List<CSVRecord> readCsv(Path file) throws Exception {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<CSVRecord> rows =
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .build()
              .parse(reader)
              .getRecords();
      return rows;
    }
  }
}
