package org.tfmnist.train.listeners;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsCharts;
import org.tfmnist.report.MetricsTable;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingSummary;

/**
 * Draws {@code loss.png} and {@code accuracy.png} in a run directory: training, validation (when
 * logged) and test curves per epoch, from the run's {@code metrics.csv}, so a resumed run's plots
 * cover every epoch. List it after {@link MetricsCsv}, which writes each row first. It draws when
 * training ends, and after an epoch only when {@link #DEFAULT_INTERVAL_SECONDS} have passed since
 * the last drawing, so fast epochs do not pay for charts.
 */
public final class TrainingPlots implements TrainingListener {
  public static final String LOSS_FILE = "loss.png";
  public static final String ACCURACY_FILE = "accuracy.png";
  public static final long DEFAULT_INTERVAL_SECONDS = 20;

  private final Path runDir;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private String name;
  private long lastDrawn;

  /** Plots for the run in {@code runDir}, redrawn at most every 20 s while training. */
  public TrainingPlots(Path runDir) {
    this(runDir, System::nanoTime, TimeUnit.SECONDS.toNanos(DEFAULT_INTERVAL_SECONDS));
  }

  TrainingPlots(Path runDir, LongSupplier nanoClock, long intervalNanos) {
    this.runDir = runDir;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
    this.name = runName(runDir);
    this.lastDrawn = nanoClock.getAsLong();
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    name = context.model().name() + " (" + runName(runDir) + ")";
    lastDrawn = nanoClock.getAsLong();
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics) throws TfmnistException {
    if (nanoClock.getAsLong() - lastDrawn >= intervalNanos) {
      draw();
    }
  }

  @Override
  public void onTrainEnd(TrainingSummary summary) throws TfmnistException {
    draw();
  }

  /** Reads the run's metrics.csv and (re)writes both plots; nothing when it has no rows yet. */
  public void draw() throws TfmnistException {
    MetricsTable table = MetricsTable.read(runDir.resolve(MetricsCsv.FILE_NAME));
    if (!table.isEmpty()) {
      MetricsCharts.writePng(
          List.of(MetricsCharts.run(name, table, MetricsCharts.Metric.LOSS)),
          runDir.resolve(LOSS_FILE));
      MetricsCharts.writePng(
          List.of(MetricsCharts.run(name, table, MetricsCharts.Metric.ACCURACY)),
          runDir.resolve(ACCURACY_FILE));
    }
    lastDrawn = nanoClock.getAsLong();
  }

  private static String runName(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name != null ? name.toString() : dir.toString();
  }
}
