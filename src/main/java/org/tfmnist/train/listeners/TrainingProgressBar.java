package org.tfmnist.train.listeners;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingSummary;

/**
 * For a terminal: {@link ConsoleProgress}'s lines scrolling above a progress bar of the whole run
 * (steps done of all, elapsed and estimated time left, epoch, examples/s and the epoch's running
 * loss and accuracy), drawn by the {@code me.tongfei:progressbar} library. Close it (it closes
 * itself at the end of training) before printing anything else.
 */
public final class TrainingProgressBar implements TrainingListener, AutoCloseable {
  private static final long MESSAGE_EVERY_NANOS = 200_000_000L;

  /**
   * Line widths (terminal columns - 1) from which the long and the medium text fit beside a bar of
   * ~20 columns.
   */
  private static final int WIDE = 124;

  private static final int MEDIUM = 99;

  private final BarConsole console;
  private final ConsoleProgress lines;
  private TrainingContext context;
  private ProgressBar bar;
  private long began;
  private long examples;
  private double lossSum;
  private double accuracySum;
  private int batches;
  private long messageAt;
  private Thread onExit;

  public TrainingProgressBar(PrintStream terminal) {
    this.console = new BarConsole(terminal);
    this.lines = new ConsoleProgress(console.lines());
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    this.context = context;
    lines.onTrainBegin(context);
    began = System.nanoTime();
    bar =
        new ProgressBarBuilder()
            .setTaskName("training")
            .setInitialMax(context.plan().totalSteps())
            .startsFrom(
                context.startStep(), Duration.ofMillis((long) (context.elapsedBefore() * 1000)))
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setConsumer(console)
            .build();
    // Ctrl-C: end the bar's line, so the shell's prompt does not land on it.
    onExit = new Thread(console::endLine, "progress bar exit");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  @Override
  public void onProgress(long step, double batchAccuracy) {
    lines.onProgress(step, batchAccuracy);
  }

  @Override
  public void onBatchEnd(long step, double loss, double accuracy) {
    int batch = context.plan().batchSize();
    int stepInEpoch = (int) ((step - 1) % context.stepsPerEpoch());
    examples += Math.min(batch, context.trainSize() - (long) stepInEpoch * batch);
    lossSum += loss;
    accuracySum += accuracy;
    batches++;
    bar.stepTo(step);
    long now = System.nanoTime();
    if (now - messageAt >= MESSAGE_EVERY_NANOS) {
      messageAt = now;
      showFigures(step, lossSum / batches, accuracySum / batches);
    }
  }

  /**
   * The bar's text after the times: epoch, examples/s, the epoch's mean loss and accuracy so far,
   * shortened on a narrow terminal so that the bar keeps about 20 columns.
   */
  private void showFigures(long step, double loss, double accuracy) {
    int width = console.getMaxRenderedLength();
    double seconds = (System.nanoTime() - began) / 1e9;
    double rate = seconds > 0 ? examples / seconds : 0;
    long epoch = (step - 1) / context.stepsPerEpoch() + 1;
    long epochs =
        (context.plan().totalSteps() + context.stepsPerEpoch() - 1) / context.stepsPerEpoch();
    String text;
    if (width >= WIDE) {
      text =
          String.format(
              Locale.ROOT,
              "epoch %d/%d, %.0f examples/s, loss %.4f, accuracy %.4f",
              epoch,
              epochs,
              rate,
              loss,
              accuracy);
    } else if (width >= MEDIUM) {
      text =
          String.format(
              Locale.ROOT, "epoch %d/%d, %.0f ex/s, loss %.4f", epoch, epochs, rate, loss);
    } else {
      text = String.format(Locale.ROOT, "loss %.4f", loss);
    }
    bar.setExtraMessage(text);
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics) {
    lines.onEpochEnd(metrics);
    showFigures(metrics.step(), metrics.loss(), metrics.accuracy());
    lossSum = 0;
    accuracySum = 0;
    batches = 0;
  }

  @Override
  public void onTrainEnd(TrainingSummary summary) {
    close();
  }

  /** Draws the bar's last state and ends its line; safe to call twice. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      console.close();
      bar = null;
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }
}
