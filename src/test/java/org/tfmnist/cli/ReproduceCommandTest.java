package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.report.MetricsTable;

/** {@code reproduce}: the write-up's figures beside ours, in the write-up's table shape. */
@Tag("data")
class ReproduceCommandTest {
  @TempDir Path tmp;

  @Test
  void digitsWriteupPrintsEpochsOneToNinetyOneBesideOurs() throws Exception {
    Path out = tmp.resolve("000");
    CliRun run = CliRun.of("reproduce", "000", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    MetricsTable ours = MetricsTable.read(out.resolve("000-digits").resolve("metrics.csv"));
    assertEquals(100, ours.rows().size(), "the write-up's 100 epochs");

    Matcher m =
        Pattern.compile(
                "(?m)^\\| test accuracy after epoch (\\d+) \\| ([^|]+) \\| [^|]+ \\| ([^|]+) \\|")
            .matcher(run.out());
    List<Integer> epochs = new ArrayList<>();
    while (m.find()) {
      int epoch = Integer.parseInt(m.group(1));
      epochs.add(epoch);
      String published = m.group(2).trim();
      assertEquals(
          epoch == 1 ? "80.6" : epoch == 81 ? "about 95" : "n/a", published, "epoch " + epoch);
      String expected =
          String.format(Locale.ROOT, "%.1f", 100 * ours.rows().get(epoch - 1).testAccuracy());
      assertEquals(expected, m.group(3).trim(), "ours at epoch " + epoch + ", from metrics.csv");
    }
    assertEquals(List.of(1, 11, 21, 31, 41, 51, 61, 71, 81, 91), epochs, run.out());
    assertTrue(run.out().contains("| figure | write-up | write-up's data | ours |"), run.out());
    assertTrue(run.out().contains("| image 0 (label 0) after epoch 11"), run.out());
    String table = Files.readString(out.resolve("figures.md"));
    assertTrue(table.startsWith("## 000: "), table);
    assertTrue(Files.exists(out.resolve("000-digits-image-0.png")), "the image and its inverse");
  }

  @Test
  void onMnistSmallSaysSoAndNeverClaimsFullMnist() throws Exception {
    Path out = tmp.resolve("003");
    CliRun run =
        CliRun.of(
            "reproduce",
            "003",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--max-epochs",
            "2",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("reproduce: full MNIST is not in "), run.out());
    assertTrue(run.out().contains("the write-up trains 10 epochs; --max-epochs runs 2"), run.out());
    Matcher row =
        Pattern.compile(
                "(?m)^\\| mlp16: test accuracy after 10 epochs[^|]*\\| 89\\.4 \\| full MNIST[^|]*\\| ([\\d.]+) \\(after 2 epochs\\) \\| ([^|]+) \\|")
            .matcher(run.out());
    assertTrue(row.find(), run.out());
    assertFalse(row.group(2).contains("full MNIST"), "our data: " + row.group(2));
    assertTrue(row.group(2).contains("(8,000 / 2,000)"), row.group(2));
  }

  @Test
  void unknownWriteupIsAUsageError() {
    CliRun run = CliRun.of("reproduce", "007", "--out", tmp.resolve("x").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("WRITEUP must be one of 000 (digits)"), run.err());
    assertFalse(Files.exists(tmp.resolve("x")));
  }
}
