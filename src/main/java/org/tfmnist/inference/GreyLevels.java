package org.tfmnist.inference;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A picture's grey levels 0..255, alpha composited on white. Grey pictures are read raw, from their
 * samples (getRGB would gamma-map them), at any depth: 8-, 16- and 32-bit integer samples
 * (unsigned) and floating-point samples (0..1); colour pictures go through their colour model.
 */
final class GreyLevels {
  private GreyLevels() {}

  static double[] of(BufferedImage image) {
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean grey =
        !(image.getColorModel() instanceof IndexColorModel)
            && (bands == 1 || bands == 2)
            && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    return grey ? fromSamples(raster) : fromRgb(image);
  }

  private static double[] fromSamples(Raster raster) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int type = raster.getDataBuffer().getDataType();
    boolean floating = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
    double[] v = new double[w * h];
    double[] row = new double[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        double g = level(row[x * bands], raster, 0, floating);
        double a = bands == 2 ? level(row[x * bands + 1], raster, 1, floating) : 1;
        v[y * w + x] = 255 * (a * g + (1 - a));
      }
    }
    return v;
  }

  /** A sample as 0..1: integers unsigned over their bit depth, floating point clamped. */
  private static double level(double sample, Raster raster, int band, boolean floating) {
    if (floating) {
      return Double.isNaN(sample) ? 0 : Math.max(0, Math.min(1, sample));
    }
    int bits = Math.min(32, raster.getSampleModel().getSampleSize(band));
    long mask = (1L << bits) - 1;
    return (((long) sample) & mask) / (double) mask;
  }

  private static double[] fromRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[] v = new double[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        double a = (p >>> 24) / 255.0;
        double luma = 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
        v[y * w + x] = a * luma + (1 - a) * 255;
      }
    }
    return v;
  }
}
