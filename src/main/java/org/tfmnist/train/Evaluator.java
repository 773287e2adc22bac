package org.tfmnist.train;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.ModelGraph;

/**
 * Evaluates a model on a whole data set in fixed-size batches (bounded memory), without dropout
 * ({@code keep_prob} is left at its default 1.0).
 */
public final class Evaluator implements AutoCloseable {
  private final Session session;
  private final ModelGraph model;
  private final int batchSize;
  private final BatchFeeds feeds;

  public Evaluator(Session session, ModelGraph model, int batchSize) {
    this.session = session;
    this.model = model;
    this.batchSize = batchSize;
    this.feeds = new BatchFeeds(batchSize, model.features());
  }

  /** Mean cross-entropy and accuracy over every example of {@code data}. */
  public Evaluation evaluate(Dataset data) {
    double lossSum = 0;
    long correct = 0;
    for (int start = 0; start < data.size(); start += batchSize) {
      BatchFeed feed = feeds.forRows(Math.min(batchSize, data.size() - start));
      int rows = feed.rows;
      fillSequential(data, start, feed);
      feed.upload();
      try (Result result =
          session
              .runner()
              .feed(model.images(), feed.images)
              .feed(model.labels(), feed.labels)
              .fetch(model.loss())
              .fetch(model.accuracy())
              .run()) {
        lossSum += ((TFloat32) result.get(0)).getFloat() * (double) rows;
        correct += Math.round(((TFloat32) result.get(1)).getFloat() * (double) rows);
      }
    }
    return new Evaluation(data.size() == 0 ? 0 : lossSum / data.size(), correct, data.size());
  }

  private static void fillSequential(Dataset data, int start, BatchFeed feed) {
    for (int i = 0; i < feed.rows; i++) {
      data.copyRow(start + i, feed.imageBuffer, feed.labelBuffer, i);
    }
  }

  @Override
  public void close() {
    feeds.close();
  }
}
