package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.report.MetricsTable;

/**
 * {@code reproduce}: the write-up's figures beside ours, in the write-up's table shape. 001 to 004
 * run from another directory in {@link RunFromAnywhereTest}.
 */
@Tag("data")
class ReproduceCommandTest {
  /** The test accuracies 000_89437fe899f4f4ef.txt prints after epochs 1, 11, ..., 91. */
  private static final Map<Integer, String> WRITEUP =
      Map.of(
          1, "80.6", 11, "88.6", 21, "90.8", 31, "91.7", 41, "93.1", 51, "93.6", 61, "93.9", 71,
          "94.7", 81, "95.0", 91, "95.0");

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
      assertEquals(WRITEUP.get(epoch), published, "epoch " + epoch + ", 000_89437fe899f4f4ef.txt");
      String expected =
          String.format(Locale.ROOT, "%.1f", 100 * ours.rows().get(epoch - 1).testAccuracy());
      assertEquals(expected, m.group(3).trim(), "ours at epoch " + epoch + ", from metrics.csv");
    }
    assertEquals(List.of(1, 11, 21, 31, 41, 51, 61, 71, 81, 91), epochs, run.out());
    assertTrue(run.out().contains("| figure | write-up | write-up's data | ours |"), run.out());
    assertTrue(
        run.out()
            .contains(
                "| image 0 (label 0) after epoch 11: softmax[label], loss | 0.6475, 0.4346 |"),
        run.out());
    String table = Files.readString(out.resolve("figures.md"));
    assertTrue(table.startsWith("## 000: "), table);
    assertTrue(Files.exists(out.resolve("000-digits-image-0.png")), "the image and its inverse");
  }

  @Test
  void unknownWriteupIsAUsageError() {
    CliRun run = CliRun.of("reproduce", "007", "--out", tmp.resolve("x").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("WRITEUP must be one of 000 (digits)"), run.err());
    assertFalse(Files.exists(tmp.resolve("x")));
  }
}
