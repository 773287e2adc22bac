package org.tfmnist.inference;

/** Resizing a grey picture held as row-major doubles. */
final class Resize {
  private Resize() {}

  /** Area-averaging downscale: each output pixel is the mean of the source area it covers. */
  static double[] area(double[] src, int sw, int sh, int dw, int dh) {
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
  static double[] bilinear(double[] src, int sw, int sh, int dw, int dh) {
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
}
