package org.tfmnist.train;

import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Batches;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelGraph;

/**
 * The session runner: feeds shuffled mini-batches through {@code session.runner()}, runs the
 * training op, evaluates on the test set (and the validation set, when the data has one) at the end
 * of every epoch and tells its listeners. It trains an already initialised (or restored) session
 * from the model's global step up to {@code plan.totalSteps()}; it owns no native object but its
 * feed tensors.
 */
public final class Trainer {
  private final ModelGraph model;
  private final Session session;
  private final List<TrainingListener> listeners;

  public Trainer(ModelGraph model, Session session, List<TrainingListener> listeners) {
    this.model = model;
    this.session = session;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Trains from {@code startStep} (0 for a new run, the restored checkpoint's step otherwise, which
   * must be an epoch boundary) to {@code plan.totalSteps()}. {@code elapsedBefore} is the wall time
   * an earlier, resumed process already spent, so the CSV's elapsed column keeps counting.
   */
  public TrainingSummary fit(
      DataSplits data, TrainingPlan plan, long startStep, double elapsedBefore)
      throws TfmnistException {
    Batches batches = new Batches(data.train(), plan.batchSize(), plan.seed(), plan.maxShift());
    int stepsPerEpoch = batches.stepsPerEpoch();
    if (startStep % stepsPerEpoch != 0 && startStep < plan.totalSteps()) {
      throw new IllegalStateException(
          "can only resume at an epoch boundary, not step " + startStep);
    }
    TrainingContext context =
        new TrainingContext(
            model,
            session,
            plan,
            stepsPerEpoch,
            data.train().size(),
            startStep,
            elapsedBefore,
            data.validation() != null);
    for (TrainingListener listener : listeners) {
      listener.onTrainBegin(context);
    }

    long began = System.nanoTime();
    long examples = 0;
    long evalNanos = 0;
    Evaluation lastTest = null;
    try (BatchFeeds feeds = new BatchFeeds(plan.batchSize(), model.features());
        Evaluator evaluator = new Evaluator(session, model, plan.evalBatchSize());
        TFloat32 keepProb = TFloat32.scalarOf(plan.keepProb())) {
      double epochLoss = 0;
      double epochCorrect = 0;
      long epochExamples = 0;
      for (long step = startStep; step < plan.totalSteps(); step++) {
        int epoch = (int) (step / stepsPerEpoch);
        int stepInEpoch = (int) (step % stepsPerEpoch);
        BatchFeed feed =
            feeds.forRows(
                Math.min(plan.batchSize(), data.train().size() - stepInEpoch * plan.batchSize()));
        int rows = feed.rows;
        batches.fill(epoch, stepInEpoch, feed.imageBuffer, feed.labelBuffer);
        feed.upload();

        if (step % plan.logEvery() == 0) {
          reportProgress(step, feed);
        }
        Session.Runner runner =
            session
                .runner()
                .feed(model.images(), feed.images)
                .feed(model.labels(), feed.labels)
                .addTarget(model.trainOp())
                .fetch(model.loss())
                .fetch(model.accuracy());
        if (model.usesDropout()) {
          runner.feed(model.keepProb(), keepProb);
        }
        double batchLoss;
        double batchAccuracy;
        try (Result result = runner.run()) {
          batchLoss = ((TFloat32) result.get(0)).getFloat();
          batchAccuracy = ((TFloat32) result.get(1)).getFloat();
        }
        epochLoss += batchLoss * rows;
        epochCorrect += batchAccuracy * rows;
        epochExamples += rows;
        examples += rows;

        long done = step + 1;
        for (TrainingListener listener : listeners) {
          listener.onBatchEnd(done, batchLoss, batchAccuracy);
        }
        if (done % stepsPerEpoch == 0 || done == plan.totalSteps()) {
          long evalStart = System.nanoTime();
          lastTest = evaluator.evaluate(data.test());
          Evaluation validation =
              data.validation() != null ? evaluator.evaluate(data.validation()) : null;
          evalNanos += System.nanoTime() - evalStart;
          double elapsed = elapsedBefore + (System.nanoTime() - began) / 1e9;
          EpochMetrics metrics =
              new EpochMetrics(
                  epoch + 1,
                  done,
                  epochLoss / epochExamples,
                  epochCorrect / epochExamples,
                  lastTest.loss(),
                  lastTest.accuracy(),
                  elapsed,
                  validation != null ? validation.loss() : Double.NaN,
                  validation != null ? validation.accuracy() : Double.NaN);
          for (TrainingListener listener : listeners) {
            listener.onEpochEnd(metrics);
          }
          epochLoss = 0;
          epochCorrect = 0;
          epochExamples = 0;
        }
      }
      if (lastTest == null) {
        lastTest = evaluator.evaluate(data.test());
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    double evalSeconds = evalNanos / 1e9;
    double trainSeconds = seconds - evalSeconds;
    TrainingSummary summary =
        new TrainingSummary(
            Math.max(startStep, plan.totalSteps()),
            lastTest,
            seconds,
            evalSeconds,
            trainSeconds > 0 ? examples / trainSeconds : 0);
    for (TrainingListener listener : listeners) {
      listener.onTrainEnd(summary);
    }
    return summary;
  }

  /** The tutorial's {@code accuracy.eval(feed_dict={x, y_, keep_prob: 1.0})} on the next batch. */
  private void reportProgress(long step, BatchFeed feed) {
    try (Result result =
        session
            .runner()
            .feed(model.images(), feed.images)
            .feed(model.labels(), feed.labels)
            .fetch(model.accuracy())
            .run()) {
      double accuracy = ((TFloat32) result.get(0)).getFloat();
      for (TrainingListener listener : listeners) {
        listener.onProgress(step, accuracy);
      }
    }
  }
}
