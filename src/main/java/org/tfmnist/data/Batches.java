package org.tfmnist.data;

/**
 * Seeded, shuffled mini-batches over a {@link Dataset}. Epoch {@code e}'s order depends only on
 * (seed, e), so a resumed run can rebuild any epoch. The last batch of an epoch may be smaller.
 * Not thread-safe (it caches the current epoch's order).
 */
public final class Batches {
  private final Dataset data;
  private final int batchSize;
  private final long seed;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  public Batches(Dataset data, int batchSize, long seed) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive: " + batchSize);
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException("empty data set");
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Batches per epoch: ceil(N / batchSize). */
  public int stepsPerEpoch() {
    return (int) (((long) data.size() + batchSize - 1) / batchSize);
  }

  /** The permutation of 0..N-1 used in {@code epoch} (a fresh copy). */
  public int[] order(int epoch) {
    return orderOf(epoch).clone();
  }

  /**
   * Copies batch {@code stepInEpoch} of {@code epoch} into {@code imageBuf}
   * ([batchSize * features]) and {@code oneHotBuf} ([batchSize * 10]); rows past the returned
   * count are left as they were. Returns the number of rows filled.
   */
  public int fill(int epoch, int stepInEpoch, float[] imageBuf, float[] oneHotBuf) {
    if (stepInEpoch < 0 || stepInEpoch >= stepsPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "step " + stepInEpoch + " not in 0.." + (stepsPerEpoch() - 1));
    }
    int[] order = orderOf(epoch);
    int start = stepInEpoch * batchSize;
    int rows = Math.min(batchSize, order.length - start);
    if (imageBuf.length < rows * data.features() || oneHotBuf.length < rows * Dataset.NUM_CLASSES) {
      throw new IllegalArgumentException("buffers too small for a batch of " + rows);
    }
    for (int r = 0; r < rows; r++) {
      data.copyRow(order[start + r], imageBuf, oneHotBuf, r);
    }
    return rows;
  }

  private int[] orderOf(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch " + epoch);
    }
    if (epoch != cachedEpoch) {
      cachedOrder = permutation(data.size(), seed * 1_000_003L + epoch);
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }

  static int[] permutation(int n, long seed) {
    return Permutation.of(n, seed);
  }
}
