package org.tfmnist.train;

/**
 * The feed tensors of a loop over batches of {@code fullRows} rows whose last batch may be
 * smaller: one {@link BatchFeed} for full batches and one for the current short size.
 */
final class BatchFeeds implements AutoCloseable {
  private final BatchFeed full;
  private BatchFeed tail;

  BatchFeeds(int fullRows) {
    full = new BatchFeed(fullRows);
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
      tail = new BatchFeed(rows);
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
