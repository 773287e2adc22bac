package org.tfmnist.inference;

import java.util.Arrays;

/** Small filters over a grey picture held as row-major doubles: blur, border, median. */
final class PixelFilters {
  private PixelFilters() {}

  /**
   * Separable box blur of radius {@code r} (a (2r+1)^2 mean, shrunk at the edges); r = 0 returns
   * {@code v}.
   */
  static double[] boxBlur(double[] v, int w, int h, int r) {
    if (r < 1) {
      return v;
    }
    double[] tmp = new double[v.length];
    double[] out = new double[v.length];
    for (int y = 0; y < h; y++) {
      blurLine(v, tmp, y * w, 1, w, r);
    }
    for (int x = 0; x < w; x++) {
      blurLine(tmp, out, x, w, h, r);
    }
    return out;
  }

  private static void blurLine(double[] src, double[] dst, int start, int stride, int n, int r) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < Math.min(n, r); i++) {
      sum += src[start + i * stride];
      count++;
    }
    for (int i = 0; i < n; i++) {
      if (i + r < n) {
        sum += src[start + (i + r) * stride];
        count++;
      }
      if (i - r - 1 >= 0) {
        sum -= src[start + (i - r - 1) * stride];
        count--;
      }
      dst[start + i * stride] = sum / count;
    }
  }

  /** The pixels of the outer frame, about 2% of the shorter side thick (at least one pixel). */
  static double[] border(double[] v, int w, int h) {
    int t = Math.max(1, Math.min(w, h) / 50);
    int n = 0;
    long frame = (long) w * h - (long) Math.max(0, w - 2 * t) * Math.max(0, h - 2 * t);
    double[] out = new double[(int) frame];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x < t || y < t || x >= w - t || y >= h - t) {
          out[n++] = v[y * w + x];
        }
      }
    }
    return out;
  }

  /**
   * The upper median of {@code values}: the element at index {@code floor(n / 2)} once sorted (the
   * values are sorted in place). An image statistic, not a latency percentile (those are {@code
   * bench.Percentiles}).
   */
  static double median(double[] values) {
    Arrays.sort(values);
    return values[(int) Math.min(values.length - 1, Math.floor(0.5 * values.length))];
  }

  /** Otsu's threshold over a 256-bin histogram of {@code values} in [0, peak]. */
  static double otsu(double[] values, double peak) {
    int bins = 256;
    long[] hist = new long[bins];
    for (double x : values) {
      hist[(int) Math.min(bins - 1, x / peak * (bins - 1))]++;
    }
    long total = values.length;
    double sumAll = 0;
    for (int i = 0; i < bins; i++) {
      sumAll += i * (double) hist[i];
    }
    double sumBack = 0;
    long back = 0;
    double best = -1;
    int bestBin = 0;
    for (int i = 0; i < bins; i++) {
      back += hist[i];
      if (back == 0) {
        continue;
      }
      long fore = total - back;
      if (fore == 0) {
        break;
      }
      sumBack += i * (double) hist[i];
      double meanBack = sumBack / back;
      double meanFore = (sumAll - sumBack) / fore;
      double between = (double) back * fore * (meanBack - meanFore) * (meanBack - meanFore);
      if (between > best) {
        best = between;
        bestBin = i;
      }
    }
    return (bestBin + 0.5) * peak / (bins - 1);
  }
}
