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
   * TF's {@code input_data}: the first {@code size} training images become the validation set, the
   * rest stay the training set (MNIST's 60,000: 5,000 validation, 55,000 training).
   */
  public DataSplits withValidationHead(int size) {
    if (size <= 0 || size >= train.size()) {
      throw new IllegalArgumentException(
          "validation size must be in 1.." + (train.size() - 1) + ", got " + size);
    }
    return new DataSplits(train.slice(size, train.size()), train.slice(0, size), test);
  }

  /**
   * The memorisation experiment: training labels permuted once with {@code seed}; test labels
   * untouched.
   */
  public DataSplits withShuffledTrainingLabels(long seed) {
    return new DataSplits(train.withShuffledLabels(seed), validation, test);
  }
}
