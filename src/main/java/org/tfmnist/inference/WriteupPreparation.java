package org.tfmnist.inference;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.MnistShape;

/**
 * The own-photos write-up's recipe, step by step, beside {@link ImagePreprocessor}'s MNIST-style
 * preparation: greyscale; PIL's {@code thumbnail((28, 28))} (keep the aspect ratio, fit inside
 * 28x28, never enlarge); {@code 1 - x / 255}; then {@code 2x - 0.5} clipped to [0, 1]. No centring,
 * no bounding box, no polarity guess: the photo must be dark ink on light paper, as the write-up's
 * were.
 *
 * <p>Where the write-up leaves a choice open: grey is {@link GreyLevels}' luma with alpha
 * composited on white (PIL's {@code convert('L')} uses the same weights, 0.299 R + 0.587 G + 0.114
 * B); the shrink averages the source pixels each target pixel covers (an area filter; Pillow's
 * thumbnail defaults to bicubic, so edges can differ by a few grey levels); a thumbnail narrower or
 * shorter than 28 is centred on white paper (grey 255, which the recipe maps to 0), the extra
 * column or row, if odd, on the right or bottom.
 */
public final class WriteupPreparation {
  private static final int SIDE = MnistShape.ROWS;

  private WriteupPreparation() {}

  /** Reads {@code file} ({@link ImageDecoder}'s bounds) and prepares it; errors name the file. */
  public static float[] load(Path file) throws TfmnistException {
    return prepare(ImageDecoder.read(file));
  }

  /** The recipe on a decoded picture: 784 values in [0, 1], row-major 28x28. */
  public static float[] prepare(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] size = thumbnailSize(w, h, SIDE);
    double[] grey = areaResize(GreyLevels.of(image), w, h, size[0], size[1]);
    float[] out = new float[MnistShape.PIXELS];
    int left = (SIDE - size[0]) / 2;
    int top = (SIDE - size[1]) / 2;
    for (int y = 0; y < size[1]; y++) {
      for (int x = 0; x < size[0]; x++) {
        out[(top + y) * SIDE + left + x] = value(grey[y * size[0] + x]);
      }
    }
    return out;
  }

  /** One grey level 0..255 through the recipe: {@code clip(2 * (1 - g / 255) - 0.5, 0, 1)}. */
  public static float value(double grey) {
    double inverted = 1 - grey / 255;
    return (float) Math.min(1, Math.max(0, 2 * inverted - 0.5));
  }

  /**
   * Pillow's {@code Image.thumbnail((max, max))} size: the largest size within max x max with the
   * source's aspect ratio (rounded as Pillow rounds it), or the source's own size if it fits.
   */
  public static int[] thumbnailSize(int w, int h, int max) {
    if (w <= max && h <= max) {
      return new int[] {w, h};
    }
    double aspect = (double) w / h;
    if ((double) max / max >= aspect) {
      return new int[] {roundAspect(max * aspect, n -> Math.abs(aspect - n / max)), max};
    }
    return new int[] {
      max, roundAspect(max / aspect, n -> n == 0 ? 0 : Math.abs(aspect - (double) max / n))
    };
  }

  private static int roundAspect(double number, java.util.function.DoubleUnaryOperator error) {
    double lo = Math.floor(number);
    double hi = Math.ceil(number);
    double best = error.applyAsDouble(lo) <= error.applyAsDouble(hi) ? lo : hi;
    return Math.max((int) best, 1);
  }

  /** Each target pixel is the mean of the source area it covers (fractional pixels weighted). */
  static double[] areaResize(double[] src, int sw, int sh, int dw, int dh) {
    if (sw == dw && sh == dh) {
      return src;
    }
    double[] dst = new double[dw * dh];
    double sx = (double) sw / dw;
    double sy = (double) sh / dh;
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        dst[y * dw + x] = areaMean(src, sw, x * sx, (x + 1) * sx, y * sy, (y + 1) * sy);
      }
    }
    return dst;
  }

  private static double areaMean(double[] src, int sw, double x0, double x1, double y0, double y1) {
    double sum = 0;
    double weight = 0;
    for (int y = (int) y0; y < Math.ceil(y1); y++) {
      double wy = Math.min(y + 1, y1) - Math.max(y, y0);
      for (int x = (int) x0; x < Math.ceil(x1); x++) {
        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
        sum += src[y * sw + x] * wx * wy;
        weight += wx * wy;
      }
    }
    return sum / weight;
  }
}
