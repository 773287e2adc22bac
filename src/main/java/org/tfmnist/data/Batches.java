package org.tfmnist.data;

import java.util.SplittableRandom;

/**
 * Seeded, shuffled mini-batches over a {@link Dataset}. Epoch {@code e}'s order depends only on
 * (seed, e), so a resumed run can rebuild any epoch. The last batch of an epoch may be smaller.
 * With a {@code maxShift}, each square image is translated by a random whole number of pixels in
 * -maxShift..maxShift along each axis (uncovered pixels 0, the background), drawn from (seed,
 * epoch, position), so a resumed run sees the same shifts. Not thread-safe (it caches the current
 * epoch's order).
 */
public final class Batches {
  private final Dataset data;
  private final int batchSize;
  private final long seed;
  private final int maxShift;
  private final int side;
  private final float[] scratch;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  public Batches(Dataset data, int batchSize, long seed) {
    this(data, batchSize, seed, 0);
  }

  /** As above, with each image shifted by up to {@code maxShift} pixels (0: as stored). */
  public Batches(Dataset data, int batchSize, long seed, int maxShift) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive: " + batchSize);
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException("empty data set");
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
    this.side = (int) Math.round(Math.sqrt(data.features()));
    if (maxShift < 0 || (maxShift > 0 && (side * side != data.features() || maxShift >= side))) {
      throw new IllegalArgumentException(
          "cannot shift images of " + data.features() + " pixels by " + maxShift);
    }
    this.maxShift = maxShift;
    this.scratch = new float[data.features()];
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
   * Copies batch {@code stepInEpoch} of {@code epoch} into {@code imageBuf} ([batchSize *
   * features]) and {@code oneHotBuf} ([batchSize * 10]); rows past the returned count are left as
   * they were. Returns the number of rows filled.
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
      if (maxShift > 0) {
        shift(
            imageBuf,
            r * data.features(),
            new SplittableRandom((seed * 1_000_003L + epoch) * 0x9E3779B97F4A7C15L + start + r));
      }
    }
    return rows;
  }

  /** Translates the image at {@code offset} by a random (dx, dy) in -maxShift..maxShift. */
  private void shift(float[] images, int offset, SplittableRandom random) {
    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
    if (dx == 0 && dy == 0) {
      return;
    }
    System.arraycopy(images, offset, scratch, 0, scratch.length);
    for (int y = 0; y < side; y++) {
      int sy = y - dy;
      for (int x = 0; x < side; x++) {
        int sx = x - dx;
        boolean inside = sy >= 0 && sy < side && sx >= 0 && sx < side;
        images[offset + y * side + x] = inside ? scratch[sy * side + sx] : 0f;
      }
    }
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
