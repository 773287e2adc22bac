package org.tfmnist.data;

import java.util.Objects;

/**
 * A data set's parts: the training set, an optional validation set (held out of the training set,
 * as Keras' {@code validation_split} does; null when there is none) and the test set.
 */
public record DataSplits(Dataset train, Dataset validation, Dataset test) {
  public DataSplits {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
  }

  /** Training and test sets, as the four standard IDX files give them. */
  public DataSplits(Dataset train, Dataset test) {
    this(train, null, test);
  }

  /**
   * Keras' {@code validation_split}: the last {@code fraction} of the training set (before any
   * shuffling) becomes the validation set, the rest stays the training set.
   */
  public DataSplits withValidationSplit(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
    int splitAt = (int) (train.size() * (1 - fraction));
    return new DataSplits(train.slice(0, splitAt), train.slice(splitAt, train.size()), test);
  }

  /**
   * The memorisation experiment: training labels permuted once with {@code seed}; test labels
   * untouched.
   */
  public DataSplits withShuffledTrainingLabels(long seed) {
    return new DataSplits(train.withShuffledLabels(seed), validation, test);
  }
}
