package org.tfmnist.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.listeners.ConsoleProgress;
import org.tfmnist.train.listeners.DivergenceGuard;
import org.tfmnist.train.listeners.TensorBoardLogger;
import org.tfmnist.train.listeners.TrainingProgressBar;

/**
 * The listeners that let a person watch and trust a training run, around the run's own (CSV,
 * checkpoints): the divergence guard first, so no other listener sees a NaN step; the console (a
 * progress bar on a terminal, plain lines otherwise); TensorBoard's event files last. Closing it
 * ends the bar's line and closes the event files, also when training failed.
 */
final class RunListeners implements AutoCloseable {
  /** Batch loss and accuracy go to TensorBoard every this many steps. */
  static final int TENSORBOARD_EVERY = 10;

  private final DivergenceGuard guard;
  private final TrainingListener console;
  private final TrainingProgressBar bar;
  private final TensorBoardLogger tensorBoard;

  private RunListeners(
      DivergenceGuard guard,
      TrainingListener console,
      TrainingProgressBar bar,
      TensorBoardLogger tensorBoard) {
    this.guard = guard;
    this.console = console;
    this.bar = bar;
    this.tensorBoard = tensorBoard;
  }

  /**
   * For a run at {@code learningRate} printing to {@code out} (with a progress bar when {@code
   * progressBar}: a terminal), logging TensorBoard events in {@code logDir}.
   */
  static RunListeners of(PrintStream out, boolean progressBar, float learningRate, Path logDir) {
    TrainingProgressBar bar = progressBar ? new TrainingProgressBar(out) : null;
    return new RunListeners(
        new DivergenceGuard(learningRate),
        bar != null ? bar : new ConsoleProgress(out),
        bar,
        new TensorBoardLogger(logDir, TENSORBOARD_EVERY));
  }

  /** The listener list: guard, console, then {@code own} in order, then TensorBoard. */
  List<TrainingListener> around(TrainingListener... own) {
    List<TrainingListener> all = new ArrayList<>(List.of(guard, console));
    all.addAll(List.of(own));
    all.add(tensorBoard);
    return all;
  }

  @Override
  public void close() throws TfmnistException {
    try {
      if (bar != null) {
        bar.close();
      }
    } finally {
      tensorBoard.close();
    }
  }
}
