package org.tfmnist.inference;

import org.tfmnist.TfmnistException;

/**
 * Stage 2 of the image preparation: the ink above the paper. The border is background; a light
 * background is inverted so the digit is white on black; the background level (the border's median)
 * is subtracted, and its noise (the median absolute deviation, as a sigma) kept. (A class, not a
 * record: a record's equals would compare the pixel array by identity.)
 */
final class InkMap {
  /** Ink contrast (of 255) below which a picture counts as blank. */
  static final double MIN_CONTRAST = 24;

  /** The ink of grey levels {@code v}; a picture without ink is an error naming {@code name}. */
  static InkMap of(double[] v, int w, int h, String name) throws TfmnistException {
    double[] border = PixelFilters.border(v, w, h);
    if (lightBackground(v, border)) {
      invert(v);
      invert(border);
    }
    double background = PixelFilters.median(border.clone());
    double[] deviation = new double[border.length];
    for (int i = 0; i < border.length; i++) {
      deviation[i] = Math.abs(border[i] - background);
    }
    double sigma = 1.4826 * PixelFilters.median(deviation);
    double[] ink = new double[v.length];
    double peak = 0;
    for (int i = 0; i < v.length; i++) {
      ink[i] = Math.max(0, v[i] - background);
      peak = Math.max(peak, ink[i]);
    }
    if (peak < Math.max(MIN_CONTRAST, 6 * sigma)) {
      throw ImagePreprocessor.blank(name);
    }
    return new InkMap(ink, w, h, peak, sigma);
  }

  private final double[] ink;
  private final int width;
  private final int height;
  private final double peak;
  private final double sigma;

  private InkMap(double[] ink, int width, int height, double peak, double sigma) {
    this.ink = ink;
    this.width = width;
    this.height = height;
    this.peak = peak;
    this.sigma = sigma;
  }

  /** Per pixel, the level above the background (0 for paper), row-major; not copied. */
  double[] ink() {
    return ink;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The brightest ink. */
  double peak() {
    return peak;
  }

  /** The paper's noise. */
  double sigma() {
    return sigma;
  }

  /** Whether the border's median is nearer the picture's lightest level than its darkest. */
  private static boolean lightBackground(double[] v, double[] border) {
    double borderMedian = PixelFilters.median(border.clone());
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return borderMedian > (min + max) / 2;
  }

  private static void invert(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = 255 - v[i];
    }
  }
}
