package org.tfmnist.cluster;

import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.Permutation;

/**
 * Each replica's own share of the training set: the set shuffled once by the run's seed, then every
 * {@code count}-th example from {@code index} on. Shards are disjoint, cover the set, differ in
 * size by at most one, and are the same on every task for the same seed. The test (and validation)
 * sets are not sharded: only the chief evaluates.
 */
public final class DataShards {
  private DataShards() {}

  /** Replica {@code index} of {@code count}'s splits. */
  public static DataSplits shard(DataSplits splits, int count, int index, long seed) {
    if (count == 1) {
      return splits;
    }
    return new DataSplits(
        shard(splits.train(), count, index, seed), splits.validation(), splits.test());
  }

  /** Replica {@code index} of {@code count}'s share of {@code data}. */
  public static Dataset shard(Dataset data, int count, int index, long seed) {
    int[] order = Permutation.of(data.size(), seed);
    int size = (data.size() - index + count - 1) / count;
    float[] images = new float[size * data.features()];
    int[] labels = new int[size];
    for (int row = 0; row < size; row++) {
      int source = order[index + row * count];
      data.copyImage(source, images, row * data.features());
      labels[row] = data.labels()[source];
    }
    return new Dataset(images, labels, data.features());
  }
}
