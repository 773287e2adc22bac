package org.tfmnist.inference;

import org.tfmnist.TfmnistException;
import org.tfmnist.model.MnistShape;

/**
 * Stage 4 of the image preparation, as MNIST itself was made: the crop scaled into a 20x20 box
 * keeping its aspect ratio (area-averaged when shrinking, bilinear when enlarging), normalised to a
 * peak of 1, and placed in 28x28 with its centre of mass at the centre of pixel (14, 14) (pixel
 * centres at i + 0.5).
 */
final class MnistFrame {
  /** The digit's box inside the 28x28 field, as in MNIST. */
  static final int BOX = 20;

  private MnistFrame() {}

  /** The 784 MNIST inputs of {@code crop}; an all-zero result is an error naming {@code name}. */
  static float[] place(DigitCrop crop, String name) throws TfmnistException {
    int cw = crop.width();
    int ch = crop.height();
    double scale = (double) BOX / Math.max(cw, ch);
    int nw = Math.max(1, Math.min(BOX, (int) Math.round(cw * scale)));
    int nh = Math.max(1, Math.min(BOX, (int) Math.round(ch * scale)));
    double[] digit =
        scale < 1
            ? Resize.area(crop.pixels(), cw, ch, nw, nh)
            : Resize.bilinear(crop.pixels(), cw, ch, nw, nh);
    double top = 0;
    for (double x : digit) {
      top = Math.max(top, x);
    }
    if (top <= 0) {
      throw ImagePreprocessor.blank(name);
    }
    return centre(digit, nw, nh, top);
  }

  /** Normalises {@code digit} by {@code top} and moves its centre of mass to (14, 14). */
  private static float[] centre(double[] digit, int nw, int nh, double top) {
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

  private static int clamp(int x, int lo, int hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
