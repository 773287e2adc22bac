package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/**
 * {@code train --model}: the label-shuffling experiment next to a normal run of the same length, a
 * zoo model's SavedModel, validation columns, and options checked before any run directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("data")
class ZooTrainTest {
  @TempDir static Path tmp;
  private Path normal;
  private Path shuffled;
  private CliRun normalRun;

  @BeforeAll
  void trainBoth() {
    String data = TestData.mnistSmallDir().toString();
    normal = tmp.resolve("normal");
    shuffled = tmp.resolve("shuffled");
    normalRun =
        CliRun.of(
            "train",
            "--model",
            "mlp512",
            "--epochs",
            "6",
            "--data-dir",
            data,
            "--run-dir",
            normal.toString());
    assertEquals(0, normalRun.exitCode(), normalRun.err());
    CliRun run =
        CliRun.of(
            "train",
            "--model",
            "mlp512",
            "--epochs",
            "6",
            "--shuffle-labels",
            "--data-dir",
            data,
            "--run-dir",
            shuffled.toString());
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void shuffledLabelsAreMemorisedButNotLearned() throws IOException {
    List<CSVRecord> rows = rows(shuffled.resolve("metrics.csv"));
    List<CSVRecord> normalRows = rows(normal.resolve("metrics.csv"));
    assertEquals(6, rows.size());
    double firstTrain = value(rows.get(0), "accuracy");
    double lastTrain = value(rows.get(5), "accuracy");
    assertTrue(
        lastTrain > firstTrain + 0.04,
        "training accuracy on shuffled labels rises: " + firstTrain + " -> " + lastTrain);
    // near chance, far below the 0.94 of true labels: single epochs wander (0.10-0.22 seen), their
    // mean less
    double sum = 0;
    for (CSVRecord row : rows) {
      assertTrue(value(row, "test_accuracy") < 0.3, "test accuracy stays near chance: " + row);
      sum += value(row, "test_accuracy");
    }
    assertTrue(
        sum / rows.size() < 0.2,
        "mean test accuracy over the epochs near chance: " + sum / rows.size());
    double normalTest = value(normalRows.get(5), "test_accuracy");
    assertTrue(normalTest > 0.94, "the same run on true labels learns: " + normalTest);
    assertTrue(
        Files.readString(shuffled.resolve("run.properties")).contains("shuffle-labels=true"));
  }

  @Test
  void zooSavedModelEvaluatesToItsRunsAccuracy() {
    CliRun eval =
        CliRun.of(
            "evaluate",
            "--model",
            normal.resolve("saved_model").toString(),
            "--data-dir",
            TestData.mnistSmallDir().toString());
    assertEquals(0, eval.exitCode(), eval.err());
    assertEquals(normalRun.testAccuracy(), eval.testAccuracy(), 1e-9);
  }

  @Test
  void runPropertiesRecordModelAndParameters() throws IOException {
    String props = Files.readString(normal.resolve("run.properties"));
    assertTrue(props.contains("model=mlp512"), props);
    assertTrue(props.contains("parameters=407050"), props);
    assertTrue(props.contains("optimizer=adam"), props);
  }

  @Test
  void validationSplitAddsKerasColumns() throws IOException {
    Path dir = tmp.resolve("validation");
    CliRun run =
        CliRun.of(
            "train",
            "--model",
            "mlp16",
            "--epochs",
            "2",
            "--batch",
            "100",
            "--validation-split",
            "0.1",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("7200 examples"), "the last 10% of 8000 are held out: " + run.out());
    List<CSVRecord> rows = rows(dir.resolve("metrics.csv"));
    assertEquals(2, rows.size());
    double val = value(rows.get(1), "val_accuracy");
    assertTrue(val > 0.3 && val <= 1, "val_accuracy " + val);
    assertTrue(value(rows.get(1), "val_loss") > 0);
    try (var events = Files.list(dir.resolve("logs").resolve("validation"))) {
      assertTrue(
          events.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents")),
          "TensorBoard gets a validation run beside train and test");
    }
  }

  @Test
  void listPrintsKerasParameterCounts() {
    CliRun run = CliRun.of("train", "--list");
    assertEquals(0, run.exitCode());
    for (String line :
        List.of(
            "mlp16 +12,730",
            "mlp512 +407,050",
            "mlp2048 +1,628,170",
            "cnn-small +1,611,690",
            "cnn-vgg +1,066,410")) {
      assertTrue(
          run.out().lines().anyMatch(l -> l.matches(line + " .*")), line + " in\n" + run.out());
    }
  }

  static List<CSVRecord> rows(Path csv) throws IOException {
    try (Reader reader = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .build()
          .parse(reader)
          .getRecords();
    }
  }

  static double value(CSVRecord row, String column) {
    return Double.parseDouble(row.get(column));
  }
}
