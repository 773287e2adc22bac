package org.tfmnist.inference;

import org.tfmnist.TfmnistException;

/**
 * Stage 3 of the image preparation: the digit cut out of the picture and scaled to 0..1. Otsu's
 * threshold splits ink from paper noise and its pixels give the bounding box; the box is widened to
 * keep the anti-aliased rim and shrunk back to the faint ink; the median stroke pixel and above
 * count as full ink, as in MNIST's mostly saturated strokes. (A class, not a record: a record's
 * equals would compare the pixel array by identity.)
 */
final class DigitCrop {
  private final double[] pixels;
  private final int width;
  private final int height;

  private DigitCrop(double[] pixels, int width, int height) {
    this.pixels = pixels;
    this.width = width;
    this.height = height;
  }

  /** The crop, 0..1, row-major; not copied. */
  double[] pixels() {
    return pixels;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The crop of {@code map}; no pixel above the threshold is an error naming {@code name}. */
  static DigitCrop of(InkMap map, String name) throws TfmnistException {
    double[] ink = map.ink();
    double threshold = PixelFilters.otsu(ink, map.peak());
    int[] box = box(map, threshold, 0, 0, map.width() - 1, map.height() - 1, null);
    if (box == null) {
      throw ImagePreprocessor.blank(name);
    }
    double full = PixelFilters.median(strokes(ink, threshold));
    double low = Math.min(Math.max(3 * map.sigma(), 0.05 * map.peak()), 0.5 * threshold);
    int margin =
        Math.max(1, (int) Math.round(0.05 * Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1)));
    int[] wide = {
      Math.max(0, box[0] - margin),
      Math.max(0, box[1] - margin),
      Math.min(map.width() - 1, box[2] + margin),
      Math.min(map.height() - 1, box[3] + margin)
    };
    box = box(map, low, wide[0], wide[1], wide[2], wide[3], box);
    return crop(map, box, low, full);
  }

  /**
   * The box {x0, y0, x1, y1} of the pixels above {@code level} within the given window, grown from
   * {@code start} (null: an empty box); null when there are none and no start.
   */
  private static int[] box(
      InkMap map, double level, int wx0, int wy0, int wx1, int wy1, int[] start) {
    int[] b = start != null ? start.clone() : new int[] {map.width(), map.height(), -1, -1};
    boolean found = start != null;
    for (int y = wy0; y <= wy1; y++) {
      for (int x = wx0; x <= wx1; x++) {
        if (map.ink()[y * map.width() + x] > level) {
          b[0] = Math.min(b[0], x);
          b[2] = Math.max(b[2], x);
          b[1] = Math.min(b[1], y);
          b[3] = Math.max(b[3], y);
          found = true;
        }
      }
    }
    return found ? b : null;
  }

  private static double[] strokes(double[] ink, double threshold) {
    int n = 0;
    for (double x : ink) {
      n += x > threshold ? 1 : 0;
    }
    double[] strokes = new double[n];
    int k = 0;
    for (double x : ink) {
      if (x > threshold) {
        strokes[k++] = x;
      }
    }
    return strokes;
  }

  private static DigitCrop crop(InkMap map, int[] box, double low, double full) {
    int cw = box[2] - box[0] + 1;
    int ch = box[3] - box[1] + 1;
    double[] crop = new double[cw * ch];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        double v = map.ink()[(y + box[1]) * map.width() + x + box[0]];
        crop[y * cw + x] = Math.min(1, Math.max(0, (v - low) / Math.max(1e-9, full - low)));
      }
    }
    return new DigitCrop(crop, cw, ch);
  }
}
