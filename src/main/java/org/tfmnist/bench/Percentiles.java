package org.tfmnist.bench;

import java.util.Arrays;

/**
 * The one definition of a percentile and of a median for every measurement in {@code bench}.
 *
 * <ul>
 *   <li>{@link #percentile}: the <em>nearest-rank</em> percentile. For n samples sorted ascending
 *       and q in (0, 1], the value at 1-based rank {@code ceil(q * n)}: the smallest sample such
 *       that at least a fraction q of the samples are at or below it. It is always one of the
 *       samples (no interpolation); p50 of {1, 2, 3, 4} is 2, p99 of 1,000 samples is the 990th. q
 *       = 0 gives the smallest sample; no samples give NaN.
 *   <li>{@link #median}: the usual median, the middle sample for odd n and the mean of the two
 *       middle samples for even n; no samples give NaN. Used for "the median of the rounds", where
 *       n is small.
 * </ul>
 *
 * The inputs are not changed (they are copied before sorting).
 */
public final class Percentiles {
  private Percentiles() {}

  /** The nearest-rank {@code q}-percentile (q in [0, 1]) of {@code values}. */
  public static double percentile(double[] values, double q) {
    if (q < 0 || q > 1 || Double.isNaN(q)) {
      throw new IllegalArgumentException("percentile " + q + " is not in [0, 1]");
    }
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The nearest-rank {@code q}-percentile of {@code values}, as a double. */
  public static double percentile(long[] values, double q) {
    return percentile(Arrays.stream(values).asDoubleStream().toArray(), q);
  }

  /** The median of {@code values}: the middle one, or the mean of the two middle ones. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
