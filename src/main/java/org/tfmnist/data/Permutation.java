package org.tfmnist.data;

import java.util.SplittableRandom;

/**
 * Seeded permutations (Fisher-Yates driven by {@link SplittableRandom}): the same seed, the same
 * order.
 */
public final class Permutation {
  private Permutation() {}

  /** A permutation of 0..n-1 that depends only on {@code n} and {@code seed}. */
  public static int[] of(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
