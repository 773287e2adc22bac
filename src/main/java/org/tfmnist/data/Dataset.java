package org.tfmnist.data;

import java.util.Objects;

/**
 * Labelled images held in memory: {@code images} is a flat row-major float array of {@code size *
 * features} pixels scaled to 0..1, {@code labels} the class (0..9) of each row.
 */
public record Dataset(float[] images, int[] labels, int features) {
  public static final int NUM_CLASSES = 10;

  public Dataset {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    if (features <= 0 || images.length != (long) labels.length * features) {
      throw new IllegalArgumentException(
          "images hold " + images.length + " values, expected " + labels.length + " x " + features);
    }
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /**
   * Writes example {@code index} as row {@code row} of a batch: its pixels into {@code images}
   * ([rows * features]) and its one-hot label into {@code oneHot} ([rows * 10]).
   */
  public void copyRow(int index, float[] images, float[] oneHot, int row) {
    copyImage(index, images, row * features);
    int offset = row * NUM_CLASSES;
    java.util.Arrays.fill(oneHot, offset, offset + NUM_CLASSES, 0f);
    oneHot[offset + labels[index]] = 1f;
  }

  /** Examples {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size());
    }
    return new Dataset(
        java.util.Arrays.copyOfRange(images, from * features, to * features),
        java.util.Arrays.copyOfRange(labels, from, to),
        features);
  }

  /**
   * The same images with their labels permuted (a {@link Permutation} seeded with {@code seed}).
   */
  public Dataset withShuffledLabels(long seed) {
    int[] order = Permutation.of(labels.length, seed);
    int[] shuffled = new int[labels.length];
    for (int i = 0; i < shuffled.length; i++) {
      shuffled[i] = labels[order[i]];
    }
    return new Dataset(images, shuffled, features);
  }

  /** Copies example {@code index}'s pixels into {@code dest} at {@code destOffset}. */
  public void copyImage(int index, float[] dest, int destOffset) {
    System.arraycopy(images, index * features, dest, destOffset, features);
  }
}
