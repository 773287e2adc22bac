package org.tfmnist.train.listeners;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;

/**
 * Prints the tutorial's {@code step N, training accuracy X} lines and one summary line per epoch
 * with throughput, so a long run shows it is alive.
 */
public final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;
  private TrainingContext context;
  private long lastStep;
  private double lastElapsed;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    this.context = context;
    this.lastStep = context.startStep();
    this.lastElapsed = context.elapsedBefore();
    out.printf(
        Locale.ROOT,
        "training %s: steps %d to %d, batch %d, %d examples (%d steps per epoch)%n",
        context.model().name(),
        context.startStep(),
        context.plan().totalSteps(),
        context.plan().batchSize(),
        context.trainSize(),
        context.stepsPerEpoch());
  }

  @Override
  public void onProgress(long step, double batchAccuracy) {
    out.printf(Locale.ROOT, "step %d, training accuracy %.4f%n", step, batchAccuracy);
  }

  @Override
  public void onEpochEnd(EpochMetrics m) {
    double seconds = m.elapsedSeconds() - lastElapsed;
    long steps = m.step() - lastStep;
    double rate = seconds > 0 ? steps * (double) context.plan().batchSize() / seconds : 0;
    String validation =
        m.hasValidation()
            ? String.format(
                Locale.ROOT, ", val loss %.4f, val accuracy %.4f", m.valLoss(), m.valAccuracy())
            : "";
    out.printf(
        Locale.ROOT,
        "epoch %d (step %d): loss %.4f, accuracy %.4f%s, test loss %.4f, test accuracy %.4f"
            + " [%.1f s, %.0f examples/s]%n",
        m.epoch(),
        m.step(),
        m.loss(),
        m.accuracy(),
        validation,
        m.testLoss(),
        m.testAccuracy(),
        m.elapsedSeconds(),
        rate);
    lastStep = m.step();
    lastElapsed = m.elapsedSeconds();
  }
}
