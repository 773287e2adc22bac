package org.tfmnist.train;

import java.util.List;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelGraph;

/**
 * A run's epoch ends: tallies the training batches of the current epoch, evaluates on the test (and
 * validation) set when one ends, tells the listeners, and times it all for the summary. Owns the
 * {@link Evaluator}'s feed tensors.
 */
final class Epochs implements AutoCloseable {
  private final DataSplits data;
  private final List<TrainingListener> listeners;
  private final double elapsedBefore;
  private final Evaluator evaluator;
  private final EpochTally tally = new EpochTally();
  private final long began = System.nanoTime();
  private long evalNanos;
  private Evaluation lastTest;

  Epochs(
      Session session,
      ModelGraph model,
      TrainingPlan plan,
      DataSplits data,
      List<TrainingListener> listeners,
      double elapsedBefore) {
    this.data = data;
    this.listeners = listeners;
    this.elapsedBefore = elapsedBefore;
    this.evaluator = new Evaluator(session, model, plan.evalBatchSize());
  }

  /** Counts one training batch into the current epoch. */
  void add(StepResult step) {
    tally.add(step.loss(), step.accuracy(), step.rows());
  }

  /** Ends epoch {@code epoch} at global step {@code step}: evaluates and tells the listeners. */
  void end(int epoch, long step) throws TfmnistException {
    long evalStart = System.nanoTime();
    lastTest = evaluator.evaluate(data.test());
    Evaluation validation =
        data.validation() != null ? evaluator.evaluate(data.validation()) : null;
    evalNanos += System.nanoTime() - evalStart;
    double elapsed = elapsedBefore + (System.nanoTime() - began) / 1e9;
    EpochMetrics metrics =
        new EpochMetrics(
            epoch,
            step,
            tally.meanLoss(),
            tally.meanAccuracy(),
            lastTest.loss(),
            lastTest.accuracy(),
            elapsed,
            validation != null ? validation.loss() : Double.NaN,
            validation != null ? validation.accuracy() : Double.NaN);
    for (TrainingListener listener : listeners) {
      listener.onEpochEnd(metrics);
    }
    tally.reset();
  }

  /** Evaluates on the test set if no epoch ended (a run resumed at its last step). */
  void evaluateIfNone() {
    if (lastTest == null) {
      lastTest = evaluator.evaluate(data.test());
    }
  }

  /** The run's summary: null test figures where this replica never evaluated. */
  TrainingSummary summary(long finalStep, long examples) {
    double seconds = (System.nanoTime() - began) / 1e9;
    double evalSeconds = evalNanos / 1e9;
    double trainSeconds = seconds - evalSeconds;
    return new TrainingSummary(
        finalStep, lastTest, seconds, evalSeconds, trainSeconds > 0 ? examples / trainSeconds : 0);
  }

  @Override
  public void close() {
    evaluator.close();
  }
}
