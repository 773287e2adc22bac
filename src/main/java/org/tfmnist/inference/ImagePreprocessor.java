package org.tfmnist.inference;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.MnistShape;

/**
 * Turns a user's picture of a digit (PNG, JPEG, GIF or BMP; any size; colour or grey, with or
 * without alpha; dark ink on light paper or light on dark) into an MNIST-style input: 784 floats in
 * 0..1, a white digit on black, scaled into a 20x20 box keeping its aspect ratio and centred by
 * centre of mass in 28x28, as MNIST itself was made.
 *
 * <p>Steps: luma (alpha composited on white); a light box blur against noise on large pictures;
 * polarity from the border's median; background level and noise from the border, subtracted; Otsu's
 * threshold on what is left finds the digit's bounding box; area-averaged downscale (bilinear when
 * enlarging) into 20x20; centre of mass to the middle of 28x28.
 */
public final class ImagePreprocessor {
  /** The digit's box inside the 28x28 field, as in MNIST. */
  static final int BOX = 20;

  /** Ink contrast (of 255) below which a picture counts as blank. */
  static final double MIN_CONTRAST = 24;

  private ImagePreprocessor() {}

  /**
   * Reads ({@link ImageDecoder}, within its bounds) and preprocesses {@code file}; a one-line error
   * names the file.
   */
  public static float[] load(Path file) throws TfmnistException {
    return preprocess(ImageDecoder.read(file), file.toString());
  }

  /** Preprocesses a decoded picture; {@code name} is used in the error for a blank picture. */
  public static float[] preprocess(BufferedImage image, String name) throws TfmnistException {
    int w = image.getWidth();
    int h = image.getHeight();
    // Sensor/paper noise: a box blur of about 0.5% of the picture (none for small pictures).
    double[] v = boxBlur(GreyLevels.of(image), w, h, (int) Math.round(Math.min(w, h) / 200.0));

    // Polarity: the border is background. Light background -> invert, so the digit is white on
    // black.
    double[] border = border(v, w, h);
    double borderMedian = percentile(border.clone(), 0.5);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    boolean invert = borderMedian > (min + max) / 2;
    if (invert) {
      for (int i = 0; i < v.length; i++) {
        v[i] = 255 - v[i];
      }
      for (int i = 0; i < border.length; i++) {
        border[i] = 255 - border[i];
      }
    }

    // Background level and its noise (median absolute deviation) from the border.
    double background = percentile(border.clone(), 0.5);
    double[] deviation = new double[border.length];
    for (int i = 0; i < border.length; i++) {
      deviation[i] = Math.abs(border[i] - background);
    }
    double sigma = 1.4826 * percentile(deviation, 0.5);
    double[] ink = new double[v.length];
    double peak = 0;
    for (int i = 0; i < v.length; i++) {
      ink[i] = Math.max(0, v[i] - background);
      peak = Math.max(peak, ink[i]);
    }
    if (peak < Math.max(MIN_CONTRAST, 6 * sigma)) {
      throw new TfmnistException(name + ": no digit found (blank image)");
    }

    // Otsu's threshold splits ink from paper noise; its pixels give the bounding box.
    double threshold = otsu(ink, peak);
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    int inkPixels = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (ink[y * w + x] > threshold) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
          inkPixels++;
        }
      }
    }
    if (inkPixels == 0) {
      throw new TfmnistException(name + ": no digit found (blank image)");
    }
    double[] strokes = new double[inkPixels];
    int k = 0;
    for (double x : ink) {
      if (x > threshold) {
        strokes[k++] = x;
      }
    }
    // the median stroke pixel and above count as full ink, as in MNIST's mostly saturated strokes
    double full = percentile(strokes, 0.5);
    double low = Math.min(Math.max(3 * sigma, 0.05 * peak), 0.5 * threshold);
    // keep the anti-aliased rim just outside the threshold: widen the box, then shrink it to ink
    int margin = Math.max(1, (int) Math.round(0.05 * Math.max(x1 - x0 + 1, y1 - y0 + 1)));
    int wx0 = Math.max(0, x0 - margin);
    int wy0 = Math.max(0, y0 - margin);
    int wx1 = Math.min(w - 1, x1 + margin);
    int wy1 = Math.min(h - 1, y1 + margin);
    for (int y = wy0; y <= wy1; y++) {
      for (int x = wx0; x <= wx1; x++) {
        if (ink[y * w + x] > low) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    int cw = x1 - x0 + 1;
    int ch = y1 - y0 + 1;
    double[] crop = new double[cw * ch];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        double value = (ink[(y + y0) * w + x + x0] - low) / Math.max(1e-9, full - low);
        crop[y * cw + x] = Math.min(1, Math.max(0, value));
      }
    }

    // Into the 20x20 box, keeping the aspect ratio.
    double scale = (double) BOX / Math.max(cw, ch);
    int nw = Math.max(1, Math.min(BOX, (int) Math.round(cw * scale)));
    int nh = Math.max(1, Math.min(BOX, (int) Math.round(ch * scale)));
    double[] digit =
        scale < 1 ? resizeArea(crop, cw, ch, nw, nh) : resizeBilinear(crop, cw, ch, nw, nh);
    double top = 0;
    for (double x : digit) {
      top = Math.max(top, x);
    }
    if (top <= 0) {
      throw new TfmnistException(name + ": no digit found (blank image)");
    }

    // Centre of mass to the centre of pixel (14, 14), where MNIST has it (pixel centres at i +
    // 0.5).
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < nh; y++) {
      for (int x = 0; x < nw; x++) {
        double m = digit[y * nw + x] / top;
        digit[y * nw + x] = m;
        mass += m;
        mx += m * (x + 0.5);
        my += m * (y + 0.5);
      }
    }
    int ox =
        clamp((int) Math.round(MnistShape.COLS / 2.0 + 0.5 - mx / mass), 0, MnistShape.COLS - nw);
    int oy =
        clamp((int) Math.round(MnistShape.ROWS / 2.0 + 0.5 - my / mass), 0, MnistShape.ROWS - nh);
    float[] out = new float[MnistShape.PIXELS];
    for (int y = 0; y < nh; y++) {
      for (int x = 0; x < nw; x++) {
        out[(y + oy) * MnistShape.COLS + x + ox] = (float) digit[y * nw + x];
      }
    }
    return out;
  }

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

  /** The {@code q}-quantile of {@code values} (sorts them in place). */
  static double percentile(double[] values, double q) {
    Arrays.sort(values);
    return values[(int) Math.min(values.length - 1, Math.floor(q * values.length))];
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

  /** Area-averaging downscale: each output pixel is the mean of the source area it covers. */
  static double[] resizeArea(double[] src, int sw, int sh, int dw, int dh) {
    double sx = (double) sw / dw;
    double sy = (double) sh / dh;
    double[] dst = new double[dw * dh];
    for (int oy = 0; oy < dh; oy++) {
      double fy0 = oy * sy;
      double fy1 = fy0 + sy;
      for (int ox = 0; ox < dw; ox++) {
        double fx0 = ox * sx;
        double fx1 = fx0 + sx;
        double sum = 0;
        for (int iy = (int) fy0; iy < Math.min(sh, Math.ceil(fy1)); iy++) {
          double wy = Math.min(fy1, iy + 1) - Math.max(fy0, iy);
          for (int ix = (int) fx0; ix < Math.min(sw, Math.ceil(fx1)); ix++) {
            double wx = Math.min(fx1, ix + 1) - Math.max(fx0, ix);
            sum += wx * wy * src[iy * sw + ix];
          }
        }
        dst[oy * dw + ox] = sum / (sx * sy);
      }
    }
    return dst;
  }

  /** Bilinear resize with pixel centres aligned, for enlarging small pictures. */
  static double[] resizeBilinear(double[] src, int sw, int sh, int dw, int dh) {
    double[] dst = new double[dw * dh];
    for (int oy = 0; oy < dh; oy++) {
      double fy = Math.max(0, Math.min(sh - 1, (oy + 0.5) * sh / dh - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(sh - 1, y0 + 1);
      double ty = fy - y0;
      for (int ox = 0; ox < dw; ox++) {
        double fx = Math.max(0, Math.min(sw - 1, (ox + 0.5) * sw / dw - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(sw - 1, x0 + 1);
        double tx = fx - x0;
        double a = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
        double b = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
        dst[oy * dw + ox] = a * (1 - ty) + b * ty;
      }
    }
    return dst;
  }

  private static int clamp(int x, int lo, int hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
