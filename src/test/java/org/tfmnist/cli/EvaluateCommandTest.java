package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;

/** {@code evaluate} on the exported model reproduces the training run's own test figure. */
@Tag("data")
class EvaluateCommandTest {
  @Test
  void evaluateMatchesTheTrainingRunsTestAccuracy(@TempDir Path tmp) throws Exception {
    TrainedModels.Trained trained = TrainedModels.beginners(tmp.resolve("saved_model"));

    CliRun run =
        CliRun.of(
            "evaluate",
            "--model",
            trained.savedModel().toString(),
            "--data-dir",
            TestData.mnistSmallDir().toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .contains(
                "model serving_default: images [-1, 784] -> probabilities [-1, 10],"
                    + " read as probabilities\n"),
        run.out());
    Matcher accuracy = Pattern.compile("(?m)^test accuracy (0\\.\\d{4})$").matcher(run.out());
    assertTrue(accuracy.find(), run.out());
    assertEquals(String.format(Locale.ROOT, "%.4f", trained.test().accuracy()), accuracy.group(1));
    Matcher correct =
        Pattern.compile("(?m)^(\\d+) of (\\d+) test images correct$").matcher(run.out());
    assertTrue(correct.find(), run.out());
    assertEquals(trained.test().correct(), Long.parseLong(correct.group(1)));
    assertEquals(2000, Long.parseLong(correct.group(2)));
    // the confusion matrix: a header and ten rows whose diagonal sums to the correct count
    String[] lines = run.out().substring(run.out().indexOf("true\\pred")).split("\n");
    assertEquals(11, lines.length, run.out());
    long diagonal = 0;
    long total = 0;
    for (int r = 0; r < 10; r++) {
      String[] cells = lines[r + 1].trim().split("\\s+");
      assertEquals(11, cells.length, lines[r + 1]);
      assertEquals(Integer.toString(r), cells[0]);
      diagonal += Long.parseLong(cells[r + 1]);
      for (int c = 1; c <= 10; c++) {
        total += Long.parseLong(cells[c]);
      }
      assertEquals(lines[0].length(), lines[r + 1].length(), "aligned columns");
    }
    assertEquals(trained.test().correct(), diagonal);
    assertEquals(2000, total);
  }

  @Test
  void missingModelIsAOneLineError(@TempDir Path tmp) {
    CliRun run =
        CliRun.of(
            "evaluate",
            "--model",
            tmp.resolve("nothing").toString(),
            "--data-dir",
            TestData.mnistSmallDir().toString());
    assertEquals(1, run.exitCode());
    assertEquals(
        "error: "
            + tmp.resolve("nothing")
            + ": no such directory (expected a SavedModel directory)",
        run.err().strip());
  }
}
