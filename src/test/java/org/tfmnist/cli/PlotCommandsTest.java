package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Pictures;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.report.ImageGrid;
import org.tfmnist.report.MetricsCharts;
import org.tfmnist.train.listeners.TrainingPlots;

/**
 * The pictures and the table of runs: one real {@code beginners} run on mnist-small (its plots, its
 * summary row, its mistakes) next to hand-written run directories.
 */
@Tag("data")
class PlotCommandsTest {
  @TempDir static Path tmp;
  static Path run;

  @BeforeAll
  static void trainTheTutorial() {
    run = tmp.resolve("beginners-run");
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            run.toString());
    assertEquals(0, result.exitCode(), result.err());
  }

  @Test
  void aTrainingRunDrawsItsLossAndAccuracyCurves() throws Exception {
    for (String file : List.of(TrainingPlots.LOSS_FILE, TrainingPlots.ACCURACY_FILE)) {
      BufferedImage image = Pictures.readPng(run.resolve(file));
      assertTrue(
          Pictures.columnsWith(image, MetricsCharts.TRAINING) > image.getWidth() / 2,
          file + ": training curve");
      assertTrue(
          Pictures.columnsWith(image, MetricsCharts.TEST) > image.getWidth() / 2,
          file + ": test curve");
    }
  }

  @Test
  void plotOverlaysTwoRunsInALossAndAnAccuracyPanel() throws Exception {
    Path other = fixture("other-run", "model=mlp512\nparameters=407050\n");
    StringBuilder csv =
        new StringBuilder("epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n");
    for (int e = 1; e <= 13; e++) { // as many epochs as the beginners run, so both span the panel
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%.4f,%.4f,%.4f,%.4f,%.1f%n",
              e,
              e * 80,
              1.0 / e,
              0.5 + e * 0.03,
              1.2 / e,
              0.45 + e * 0.03,
              e * 2.0));
    }
    Files.writeString(other.resolve("metrics.csv"), csv);
    Path out = tmp.resolve("overlay.png");
    CliRun result = CliRun.of("plot", run.toString(), other.toString(), "--out", out.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("wrote " + out + " (2 runs)", result.out().strip());

    BufferedImage image = Pictures.readPng(out);
    int panel = MetricsCharts.WIDTH;
    assertEquals(2 * panel, image.getWidth());
    for (int p = 0; p < 2; p++) {
      for (int r = 0; r < 2; r++) {
        Color color = MetricsCharts.PALETTE.get(r);
        int columns = Pictures.columnsWith(image, color, p * panel, (p + 1) * panel);
        assertTrue(
            columns > panel / 2, "panel " + p + ", run " + r + ": only " + columns + " columns");
      }
      assertEquals(
          0,
          Pictures.columnsWith(image, MetricsCharts.PALETTE.get(2), p * panel, (p + 1) * panel),
          "no third run");
    }
  }

  @Test
  void plotNamesAMissingRunOrCsvAndWritesNothing() throws Exception {
    Path out = tmp.resolve("never.png");
    Path nowhere = tmp.resolve("nowhere");
    CliRun missing = CliRun.of("plot", run.toString(), nowhere.toString(), "--out", out.toString());
    assertEquals(1, missing.exitCode());
    assertEquals(
        "error: " + nowhere + ": not a run directory (no such directory)", missing.err().strip());

    Path noCsv = Files.createDirectories(tmp.resolve("no-csv"));
    CliRun empty = CliRun.of("plot", noCsv.toString(), "--out", out.toString());
    assertEquals(1, empty.exitCode());
    assertEquals("error: " + noCsv.resolve("metrics.csv") + ": not found", empty.err().strip());
    assertFalse(Files.exists(out));
  }

  @Test
  void summaryPrintsEachRunsFinalFiguresAsMarkdown() throws Exception {
    Path zoo = fixture("zoo-run", "command=train\nmodel=mlp512\nparameters=407050\n");
    Path old = fixture("old-experts-run", "command=experts\n");
    CliRun result = CliRun.of("summary", run.toString(), zoo.toString(), old.toString());
    assertEquals(0, result.exitCode(), result.err());

    Properties settings = new Properties();
    try (Reader reader = Files.newBufferedReader(run.resolve("run.properties"))) {
      settings.load(reader);
    }
    String parameters =
        settings.containsKey("parameters")
            ? String.format(Locale.ROOT, "%,d", Long.parseLong(settings.getProperty("parameters")))
            : "-";
    CSVRecord last = lastRow(run.resolve("metrics.csv"));
    String beginnersRow =
        String.format(
            Locale.ROOT,
            "| beginners-run | softmax | %s | %s | %.4f | %.4f | %.4f | %.4f | %.1f s |",
            parameters,
            last.get("epoch"),
            d(last, "loss"),
            d(last, "accuracy"),
            d(last, "test_loss"),
            d(last, "test_accuracy"),
            d(last, "elapsed_seconds"));
    assertEquals(
        List.of(
            "| run | model | parameters | epochs | train loss | train accuracy | test loss | test accuracy | wall time |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            beginnersRow,
            "| zoo-run | mlp512 | 407,050 | 2 | 0.2000 | 0.9400 | 0.2500 | 0.9300 | 61.5 s |",
            "| old-experts-run | cnn | - | 2 | 0.2000 | 0.9400 | 0.2500 | 0.9300 | 61.5 s |"),
        result.out().lines().toList());
    assertEquals("13", last.get("epoch"), "the tutorial's 1000 steps are 13 epochs of mnist-small");
  }

  @Test
  void summaryShowsValidationColumnsWhenARunHasThem() throws Exception {
    Path split = Files.createDirectories(tmp.resolve("split-run"));
    Files.writeString(
        split.resolve("metrics.csv"),
        "epoch,step,loss,accuracy,val_loss,val_accuracy,test_loss,test_accuracy,elapsed_seconds\n"
            + "1,225,0.41,0.88,0.30,0.91,0.31,0.905,9.24\n");
    Files.writeString(split.resolve("run.properties"), "model=mlp16\nparameters=12730\n");
    CliRun result =
        CliRun.of(
            "summary", split.toString(), fixture("plain-run", "model=cnn-small\n").toString());
    assertEquals(0, result.exitCode(), result.err());
    assertEquals(
        List.of(
            "| run | model | parameters | epochs | train loss | train accuracy | val loss | val accuracy | test loss | test accuracy | wall time |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            "| split-run | mlp16 | 12,730 | 1 | 0.4100 | 0.8800 | 0.3000 | 0.9100 | 0.3100 | 0.9050 | 9.2 s |",
            "| plain-run | cnn-small | - | 2 | 0.2000 | 0.9400 | - | - | 0.2500 | 0.9300 | 61.5 s |"),
        result.out().lines().toList());
  }

  @Test
  void showDrawsOneCellPerIndexWithThatImage() throws Exception {
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    int[] indices = {0, 7, 1999, 3, 42, 5, 6, 8, 9, 10, 11, 12, 100};
    Path out = tmp.resolve("show.png");
    String[] args = new String[indices.length + 5];
    args[0] = "show";
    for (int i = 0; i < indices.length; i++) {
      args[i + 1] = Integer.toString(indices[i]);
    }
    System.arraycopy(
        new String[] {"--data-dir", TestData.mnistSmallDir().toString(), "--out", out.toString()},
        0,
        args,
        indices.length + 1,
        4);
    CliRun result = CliRun.of(args);
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("wrote " + out + " (13 test images)", result.out().strip());

    BufferedImage image = Pictures.readPng(out);
    ImageGrid layout = new ImageGrid(test, 28, 28);
    for (int i = 0; i < 20; i++) {
      layout.add(0, "#0", "label 0"); // the same layout: 10 columns, two rows, two caption lines
    }
    assertEquals(layout.render().getWidth(), image.getWidth());
    assertEquals(layout.render().getHeight(), image.getHeight());
    for (int cell = 0; cell < 20; cell++) {
      Rectangle box = layout.imageBounds(cell);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          int grey =
              new Color(
                      image.getRGB(
                          box.x + x * ImageGrid.SCALE + 1, box.y + y * ImageGrid.SCALE + 1))
                  .getRed();
          int expected =
              cell < indices.length
                  ? 255 - Math.round(test.images()[indices[cell] * 784 + y * 28 + x] * 255)
                  : 255;
          assertEquals(expected, grey, "cell " + cell + " pixel " + x + "," + y);
        }
      }
    }
  }

  @Test
  void showRejectsAnIndexPastTheEndAndReadsTheTrainingSet() throws Exception {
    Path out = tmp.resolve("bad.png");
    String data = TestData.mnistSmallDir().toString();
    CliRun bad = CliRun.of("show", "3", "2000", "--data-dir", data, "--out", out.toString());
    assertEquals(1, bad.exitCode());
    assertEquals(
        "error: index 2000: out of range; the test set in " + data + " has 2000 images (0..1999)",
        bad.err().strip());
    assertFalse(Files.exists(out));

    CliRun train =
        CliRun.of("show", "7999", "--train", "--data-dir", data, "--out", out.toString());
    assertEquals(0, train.exitCode(), train.err());
    assertEquals("wrote " + out + " (1 training images)", train.out().strip());
    assertTrue(Pictures.readPng(out).getWidth() > 0);
  }

  @Test
  void evaluateDrawsTheMistakesItCounts() throws Exception {
    Path out = tmp.resolve("mistakes.png");
    CliRun result =
        CliRun.of(
            "evaluate",
            "--model",
            run.resolve("saved_model").toString(),
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--mistakes",
            out.toString(),
            "--max-mistakes",
            "30");
    assertEquals(0, result.exitCode(), result.err());

    Matcher correct =
        Pattern.compile("(?m)^(\\d+) of (\\d+) test images correct$").matcher(result.out());
    assertTrue(correct.find(), result.out());
    long wrong = Long.parseLong(correct.group(2)) - Long.parseLong(correct.group(1));
    String[] lines = result.out().substring(result.out().indexOf("true\\pred")).split("\n");
    long offDiagonal = 0;
    for (int r = 0; r < 10; r++) {
      String[] cells = lines[r + 1].trim().split("\\s+");
      for (int c = 0; c < 10; c++) {
        offDiagonal += c == r ? 0 : Long.parseLong(cells[c + 1]);
      }
    }
    assertEquals(wrong, offDiagonal);
    assertTrue(wrong > 30, "the tutorial model misses about 9% of 2,000");
    assertTrue(
        result.out().contains(wrong + " misclassified test images; the first 30 drawn in " + out),
        result.out());

    BufferedImage image = Pictures.readPng(out);
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    ImageGrid layout = new ImageGrid(test, 28, 28);
    for (int i = 0; i < 30; i++) {
      layout.add(0, "#0", "true 0, pred 0");
    }
    assertEquals(layout.render().getWidth(), image.getWidth());
    assertEquals(layout.render().getHeight(), image.getHeight(), "three rows of ten");
    for (int cell = 0; cell < 30; cell++) {
      Rectangle box = layout.imageBounds(cell);
      int ink = 0;
      for (int y = box.y; y < box.y + box.height; y++) {
        for (int x = box.x; x < box.x + box.width; x++) {
          ink += new Color(image.getRGB(x, y)).getRed() < 128 ? 1 : 0;
        }
      }
      assertTrue(ink > 100, "cell " + cell + " holds a digit");
    }

    CliRun zero =
        CliRun.of(
            "evaluate",
            "--model",
            run.resolve("saved_model").toString(),
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--mistakes",
            out.toString(),
            "--max-mistakes",
            "0");
    assertEquals(2, zero.exitCode());
    assertTrue(zero.err().contains("--max-mistakes must be >= 1, got 0"), zero.err());
  }

  /** A run directory with a two-epoch metrics.csv and the given run.properties. */
  private static Path fixture(String name, String properties) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        dir.resolve("metrics.csv"),
        "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n"
            + "1,80,0.500000,0.850000,0.400000,0.880000,30.000\n"
            + "2,160,0.200000,0.940000,0.250000,0.930000,61.500\n");
    Files.writeString(dir.resolve("run.properties"), properties);
    return dir;
  }

  private static CSVRecord lastRow(Path csv) throws Exception {
    try (Reader reader = Files.newBufferedReader(csv)) {
      List<CSVRecord> rows =
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .build()
              .parse(reader)
              .getRecords();
      return rows.get(rows.size() - 1);
    }
  }

  private static double d(CSVRecord record, String column) {
    return Double.parseDouble(record.get(column));
  }
}
