package org.tfmnist.train;

/**
 * The feed tensors of a loop over batches of {@code fullRows} rows whose last batch may be smaller:
 * one {@link BatchFeed} for full batches and one for the current short size, each example {@code
 * features} floats.
 */
final class BatchFeeds implements AutoCloseable {
  private final BatchFeed full;
  private final int features;
  private BatchFeed tail;

  BatchFeeds(int fullRows, int features) {
    this.features = features;
    full = new BatchFeed(fullRows, features);
  }

  /** The feed for a batch of {@code rows} rows. */
  BatchFeed forRows(int rows) {
    if (rows == full.rows) {
      return full;
    }
    if (tail == null || tail.rows != rows) {
      if (tail != null) {
        tail.close();
        tail = null;
      }
      tail = new BatchFeed(rows, features);
    }
    return tail;
  }

  @Override
  public void close() {
    full.close();
    if (tail != null) {
      tail.close();
    }
  }
}
