package org.tfmnist.train.listeners;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tfmnist.TfmnistException;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingSummary;

/**
 * Keras's {@code TensorBoard} callback: writes TensorFlow event files, with TensorFlow's own
 * summary ops, that {@code tensorboard --logdir DIR} shows. Under its log directory:
 *
 * <ul>
 *   <li>{@code train/}: the model's training graph (Graphs tab); {@code batch_loss} and {@code
 *       batch_accuracy} of the batch just trained every {@code everySteps} steps (x axis: global
 *       step); {@code epoch_loss} and {@code epoch_accuracy}, the epoch's means (x: epoch);
 *   <li>{@code test/}: {@code epoch_loss} and {@code epoch_accuracy} on the test set (x: epoch), so
 *       TensorBoard draws them on the training curves' charts.
 * </ul>
 *
 * A resumed run appends new event files and marks the restart, so TensorBoard drops what the
 * interrupted process logged after the checkpoint. Owns a small graph and session of its own: close
 * it (it closes itself at the end of training).
 */
public final class TensorBoardLogger implements TrainingListener, AutoCloseable {
  /** The default log directory inside a run directory. */
  public static final String DIR_NAME = "logs";

  static final String TRAIN = "train";
  static final String TEST = "test";

  /** A validation split's per-epoch figures, as Keras writes val_loss / val_accuracy. */
  static final String VALIDATION = "validation";

  private final Path logDir;
  private final int everySteps;
  private EventFileWriters writers;

  /** Logs into {@code logDir}, the batch figures every {@code everySteps} steps. */
  public TensorBoardLogger(Path logDir, int everySteps) {
    if (everySteps < 1) {
      throw new IllegalArgumentException("everySteps must be >= 1, got " + everySteps);
    }
    this.logDir = logDir;
    this.everySteps = everySteps;
  }

  @Override
  public void onTrainBegin(TrainingContext context) throws TfmnistException {
    writers =
        new EventFileWriters(
            logDir, context.validation() ? List.of(TRAIN, VALIDATION, TEST) : List.of(TRAIN, TEST));
    if (context.startStep() > 0) {
      writers.restart(TRAIN, context.startStep());
      writers.restart(TEST, context.startStep() / context.stepsPerEpoch());
      if (context.validation()) {
        writers.restart(VALIDATION, context.startStep() / context.stepsPerEpoch());
      }
    }
    writers.graph(TRAIN, context.startStep(), context.session().graph().toGraphDef().toByteArray());
    writers.flush();
  }

  @Override
  public void onBatchEnd(long step, double loss, double accuracy) throws TfmnistException {
    if (step % everySteps == 0) {
      writers.scalars(TRAIN, step, Map.of("batch_loss", loss, "batch_accuracy", accuracy));
    }
  }

  @Override
  public void onEpochEnd(EpochMetrics m) throws TfmnistException {
    writers.scalars(
        TRAIN, m.epoch(), Map.of("epoch_loss", m.loss(), "epoch_accuracy", m.accuracy()));
    if (m.hasValidation()) {
      writers.scalars(
          VALIDATION,
          m.epoch(),
          Map.of("epoch_loss", m.valLoss(), "epoch_accuracy", m.valAccuracy()));
    }
    writers.scalars(
        TEST, m.epoch(), Map.of("epoch_loss", m.testLoss(), "epoch_accuracy", m.testAccuracy()));
    writers.flush();
  }

  @Override
  public void onTrainEnd(TrainingSummary summary) throws TfmnistException {
    close();
  }

  /** Flushes and closes the event files and the logger's session; safe to call twice. */
  @Override
  public void close() throws TfmnistException {
    if (writers != null) {
      writers.close();
    }
  }
}
