package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Pictures;
import org.tfmnist.report.MetricsCharts;

/**
 * loss.png and accuracy.png: valid PNGs whose pixels show every curve, drawn only as often as
 * allowed.
 */
@Tag("unit")
class TrainingPlotsTest {
  private static final long INTERVAL =
      TimeUnit.SECONDS.toNanos(TrainingPlots.DEFAULT_INTERVAL_SECONDS);

  /** A 30-epoch metrics.csv with validation columns: losses falling, accuracies rising. */
  static Path writeMetrics(Path dir, int epochs, boolean validation) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            validation
                ? "epoch,step,loss,accuracy,val_loss,val_accuracy,test_loss,test_accuracy,elapsed_seconds\n"
                : "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n");
    for (int e = 1; e <= epochs; e++) {
      double decay = Math.exp(-e / 6.0);
      csv.append(
          String.format(
              Locale.ROOT, "%d,%d,%.6f,%.6f,", e, e * 80, 0.1 + 2 * decay, 0.99 - 0.8 * decay));
      if (validation) {
        csv.append(String.format(Locale.ROOT, "%.6f,%.6f,", 0.5 + 1.5 * decay, 0.93 - 0.6 * decay));
      }
      csv.append(
          String.format(
              Locale.ROOT, "%.6f,%.6f,%.3f%n", 0.3 + 1.2 * decay, 0.9 - 0.5 * decay, e * 0.5));
    }
    return Files.writeString(dir.resolve(MetricsCsv.FILE_NAME), csv);
  }

  @Test
  void plotsShowTrainingValidationAndTestCurves(@TempDir Path run) throws Exception {
    writeMetrics(run, 30, true);
    new TrainingPlots(run).draw();

    for (String file : List.of(TrainingPlots.LOSS_FILE, TrainingPlots.ACCURACY_FILE)) {
      BufferedImage image = Pictures.readPng(run.resolve(file));
      assertEquals(MetricsCharts.WIDTH, image.getWidth());
      assertEquals(MetricsCharts.HEIGHT, image.getHeight());
      for (Color curve :
          List.of(MetricsCharts.TRAINING, MetricsCharts.VALIDATION, MetricsCharts.TEST)) {
        int columns = Pictures.columnsWith(image, curve);
        assertTrue(
            columns > image.getWidth() / 2,
            file + ": curve " + curve + " spans only " + columns + " columns");
      }
      int white = Pictures.columnsWith(image, Color.WHITE);
      assertEquals(image.getWidth(), white, "a white background everywhere");
    }
    try (Stream<Path> files = Files.list(run)) {
      assertEquals(
          List.of("accuracy.png", "loss.png", "metrics.csv"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left");
    }
  }

  @Test
  void withoutValidationThereIsNoValidationCurve(@TempDir Path run) throws Exception {
    writeMetrics(run, 30, false);
    new TrainingPlots(run).draw();
    BufferedImage image = Pictures.readPng(run.resolve(TrainingPlots.LOSS_FILE));
    assertTrue(Pictures.columnsWith(image, MetricsCharts.TRAINING) > image.getWidth() / 2);
    assertTrue(Pictures.columnsWith(image, MetricsCharts.TEST) > image.getWidth() / 2);
    assertEquals(0, Pictures.columnsWith(image, MetricsCharts.VALIDATION));
  }

  @Test
  void fastEpochsDoNotRedrawUntilTheIntervalHasPassed(@TempDir Path run) throws Exception {
    writeMetrics(run, 3, false);
    AtomicLong clock = new AtomicLong();
    TrainingPlots plots = new TrainingPlots(run, clock::get, INTERVAL);
    Path loss = run.resolve(TrainingPlots.LOSS_FILE);

    for (int epoch = 1; epoch <= 100; epoch++) { // 100 epochs of 10 ms: nothing drawn
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
      plots.onEpochEnd(null);
    }
    assertFalse(Files.exists(loss));

    clock.addAndGet(INTERVAL); // 20 s later: the next epoch draws
    plots.onEpochEnd(null);
    assertTrue(Files.exists(loss));

    Files.delete(loss); // and the interval starts again from that drawing
    clock.addAndGet(INTERVAL - 1);
    plots.onEpochEnd(null);
    assertFalse(Files.exists(loss));

    plots.onTrainEnd(null); // the end of training always draws
    assertTrue(Files.exists(loss));
    assertTrue(Files.exists(run.resolve(TrainingPlots.ACCURACY_FILE)));
  }
}
