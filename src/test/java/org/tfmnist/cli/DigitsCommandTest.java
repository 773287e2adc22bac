package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.data.DigitsLoader;

/**
 * {@code digits}: the write-up's softmax regression on scikit-learn's 8x8 digits, and {@code
 * --explain}.
 */
class DigitsCommandTest {
  private static final Path DIGITS = Path.of("data", "digits", "digits.csv.gz");

  @TempDir Path tmp;

  @Test
  void reproducesTheWriteUpAndExplainsOneExample() throws Exception {
    Path dir = tmp.resolve("digits");
    CliRun run = CliRun.of("digits", "--run-dir", dir.toString(), "--explain", "5");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("digits: 1437 training, 360 test images"), run.out());
    List<CSVRecord> rows = ZooTrainTest.rows(dir.resolve("metrics.csv"));
    assertEquals(100, rows.size());
    double first = ZooTrainTest.value(rows.get(0), "test_accuracy");
    double last = ZooTrainTest.value(rows.get(99), "test_accuracy");
    assertTrue(first >= 0.75 && first <= 0.86, "published: 80.6% after epoch 1; got " + first);
    assertTrue(last >= 0.94, "published: about 95%; got " + last);
    assertFalse(Files.exists(dir.resolve("saved_model")), "no SavedModel for 8x8 images");

    Matcher row =
        Pattern.compile("(?m)^\\s+(\\d) +(-?[\\d.]+) +([\\d.]+) +(-?[\\d.]+) +([01]) +(-?[\\d.]+)$")
            .matcher(run.out());
    double softmaxSum = 0;
    double termSum = 0;
    int classes = 0;
    int label = -1;
    while (row.find()) {
      double softmax = Double.parseDouble(row.group(3));
      double logSoftmax = Double.parseDouble(row.group(4));
      double term = Double.parseDouble(row.group(6));
      assertEquals(
          Math.log(softmax), logSoftmax, 1e-3, "log_softmax = log(softmax): " + row.group());
      assertEquals(row.group(5).equals("1") ? -logSoftmax : 0, term, 1e-6, row.group());
      if (row.group(5).equals("1")) {
        label = Integer.parseInt(row.group(1));
      }
      softmaxSum += softmax;
      termSum += term;
      classes++;
    }
    assertEquals(10, classes, run.out());
    assertEquals(1.0, softmaxSum, 1e-5, "softmax sums to 1");
    assertEquals(
        DigitsLoader.load(DIGITS).labels()[5], label, "the one-hot label is data-set image 5's");
    double loss = number(run.out(), "loss = sum of the terms = -log_softmax\\[\\d\\] = ([\\d.]+)");
    double graphLoss =
        number(
            run.out(),
            "the graph's cross_entropy \\(softmax_cross_entropy_with_logits\\): ([\\d.]+)");
    assertEquals(termSum, loss, 1e-5);
    assertEquals(graphLoss, loss, 1e-5, "the loss equals the sum of the terms");
  }

  @Test
  void badFileIsOneLineError() throws IOException {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "0,1,2\n");
    CliRun run =
        CliRun.of(
            "digits", "--data-file", bad.toString(), "--run-dir", tmp.resolve("r").toString());
    assertEquals(1, run.exitCode());
    assertEquals(
        "error: " + bad + ": line 1: expected 65 values (64 pixels and a label), got 3",
        run.err().strip());
    Files.writeString(bad, "0,".repeat(64) + "17\n");
    run =
        CliRun.of(
            "digits", "--data-file", bad.toString(), "--run-dir", tmp.resolve("r").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("column 65: 17 is outside 0..9"), run.err());
    assertFalse(Files.exists(tmp.resolve("r")));
  }

  @Test
  void explainOutsideTheDataSetExitsTwo() {
    CliRun run = CliRun.of("digits", "--explain", "1797", "--run-dir", tmp.resolve("r").toString());
    assertEquals(2, run.exitCode());
    assertTrue(
        run.err().contains("--explain must be an image index of the data set 0..1796"), run.err());
    assertFalse(Files.exists(tmp.resolve("r")), "refused before a run directory is made");
    run = CliRun.of("digits", "--explain-epoch", "11", "--run-dir", tmp.resolve("r").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--explain-epoch needs --explain"), run.err());
  }

  private static double number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertTrue(m.find(), regex + " in\n" + out);
    return Double.parseDouble(m.group(1));
  }
}
