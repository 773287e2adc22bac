package org.tfmnist.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Batches;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelGraph;

/**
 * The session runner: feeds shuffled mini-batches through {@code session.runner()}, runs the
 * training op, evaluates on the test set (and the validation set, when the data has one) at the end
 * of every epoch and tells its listeners. It trains an already initialised (or restored) session
 * from the model's global step up to {@code plan.totalSteps()}; it owns no native object but its
 * feed tensors. As one {@link Replica} of a cluster it trains on its shard until the shared global
 * step reaches the total, and only the chief evaluates and ends epochs.
 */
public final class Trainer {
  private final ModelGraph model;
  private final Session session;
  private final List<TrainingListener> listeners;
  private final Replica replica;
  private long lastReported = -1;

  public Trainer(ModelGraph model, Session session, List<TrainingListener> listeners) {
    this(model, session, listeners, Replica.SOLE);
  }

  public Trainer(
      ModelGraph model, Session session, List<TrainingListener> listeners, Replica replica) {
    this.model = model;
    this.session = session;
    this.listeners = List.copyOf(listeners);
    this.replica = replica;
  }

  /**
   * Trains from {@code startStep} (0 for a new run, the restored checkpoint's step otherwise, which
   * must be an epoch boundary in a single process) to {@code plan.totalSteps()}. {@code
   * elapsedBefore} is the wall time an earlier, resumed process already spent, so the CSV's elapsed
   * column keeps counting.
   */
  public TrainingSummary fit(
      DataSplits data, TrainingPlan plan, long startStep, double elapsedBefore)
      throws TfmnistException {
    Batches batches = new Batches(data.train(), plan.batchSize(), plan.seed(), plan.maxShift());
    int epochSize = replica.epochSize() > 0 ? replica.epochSize() : data.train().size();
    int stepsPerEpoch = TrainingPlan.stepsPerEpoch(epochSize, plan.batchSize());
    if (!replica.shared() && startStep % stepsPerEpoch != 0 && startStep < plan.totalSteps()) {
      throw new IllegalStateException(
          "can only resume at an epoch boundary, not step " + startStep);
    }
    TrainingContext context =
        new TrainingContext(
            model,
            session,
            plan,
            stepsPerEpoch,
            epochSize,
            startStep,
            elapsedBefore,
            data.validation() != null);
    for (TrainingListener listener : listeners) {
      listener.onTrainBegin(context);
    }
    long examples = 0;
    TrainingSummary summary;
    try (Epochs epochs = new Epochs(session, model, plan, data, listeners, elapsedBefore);
        BatchFeeds feeds = new BatchFeeds(plan.batchSize(), model.features());
        TFloat32 keepProb = TFloat32.scalarOf(plan.keepProb())) {
      long local = replica.shared() ? startStep / replica.count() : startStep;
      for (long step = startStep; step < plan.totalSteps(); local++) {
        BatchFeed feed = feeds.forRows(rows(batches, data, local));
        StepResult result = step(batches, feed, local, step, keepProb, plan.logEvery());
        examples += result.rows();
        epochs.add(result);
        notifyBatch(result);
        if (replica.chief() && endsEpoch(step, result.globalStep(), stepsPerEpoch, plan)) {
          epochs.end((int) (step / stepsPerEpoch) + 1, result.globalStep());
        }
        step = result.globalStep();
      }
      if (replica.chief()) {
        epochs.evaluateIfNone();
      }
      summary = epochs.summary(Math.max(startStep, plan.totalSteps()), examples);
    }
    for (TrainingListener listener : listeners) {
      listener.onTrainEnd(summary);
    }
    return summary;
  }

  private static boolean endsEpoch(long before, long after, int stepsPerEpoch, TrainingPlan plan) {
    return after / stepsPerEpoch > before / stepsPerEpoch || after >= plan.totalSteps();
  }

  /** Rows of the batch at local step {@code local}: the batch size, less at an epoch's end. */
  private static int rows(Batches batches, DataSplits data, long local) {
    int stepInEpoch = (int) (local % batches.stepsPerEpoch());
    return Math.min(batches.batchSize(), data.train().size() - stepInEpoch * batches.batchSize());
  }

  /** Fills {@code feed} with local batch {@code local}, runs one training step, reads the step. */
  private StepResult step(
      Batches batches, BatchFeed feed, long local, long step, TFloat32 keep, int logEvery) {
    int perEpoch = batches.stepsPerEpoch();
    batches.fill(
        (int) (local / perEpoch), (int) (local % perEpoch), feed.imageBuffer, feed.labelBuffer);
    feed.upload();
    if (step % logEvery == 0 && step != lastReported) {
      lastReported = step; // a synchronous replica may see the same global step twice
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
      runner.feed(model.keepProb(), keep);
    }
    if (replica.shared()) {
      runner.fetch(stepAfter());
    }
    try (Result result = runner.run()) {
      long after = replica.shared() ? ((TInt64) result.get(2)).getLong() : step + 1;
      return new StepResult(
          ((TFloat32) result.get(0)).getFloat(),
          ((TFloat32) result.get(1)).getFloat(),
          feed.rows,
          after);
    }
  }

  /** The training op's output: the global step after it (TF's {@code assign_add} result). */
  private Operand<?> stepAfter() {
    return model.trainOp().op().output(0);
  }

  private void notifyBatch(StepResult result) throws TfmnistException {
    for (TrainingListener listener : listeners) {
      listener.onBatchEnd(result.globalStep(), result.loss(), result.accuracy());
    }
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
