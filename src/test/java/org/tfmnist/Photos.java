package org.tfmnist;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Renders MNIST digits the way a user's photo of one would look: 200x200, either polarity, shifted,
 * rotated up to 10 degrees, with paper tint and Gaussian noise, saved as PNG or JPEG.
 */
public final class Photos {
  static final int SIZE = 200;

  private Photos() {}

  /**
   * Writes image {@code index} of {@code images} (784 floats each) to {@code dir}; returns the
   * file.
   */
  public static Path render(float[] images, int index, Random random, Path dir) throws IOException {
    boolean darkOnLight = (index / 2) % 2 == 0;
    boolean jpeg = index % 2 == 1;
    double paper = darkOnLight ? 200 + random.nextInt(41) : 15 + random.nextInt(36);
    double inkLevel = darkOnLight ? 20 + random.nextInt(41) : 200 + random.nextInt(46);
    double scale = SIZE / 28.0 * (0.6 + 0.25 * random.nextDouble());
    double angle = Math.toRadians(-10 + 20 * random.nextDouble());
    double dx = -15 + 30 * random.nextDouble();
    double dy = -15 + 30 * random.nextDouble();
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    BufferedImage image =
        new BufferedImage(
            SIZE, SIZE, jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    int offset = index * 784;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        // inverse transform: photo pixel centre -> digit coordinates
        double px = x + 0.5 - SIZE / 2.0 - dx;
        double py = y + 0.5 - SIZE / 2.0 - dy;
        double u = (cos * px + sin * py) / scale + 14;
        double v = (-sin * px + cos * py) / scale + 14;
        double d = bilinear(images, offset, u - 0.5, v - 0.5);
        double value = paper + (inkLevel - paper) * d + random.nextGaussian() * 8;
        int g = (int) Math.max(0, Math.min(255, Math.round(value)));
        if (jpeg) {
          int r = g;
          int b = (int) Math.round(g * 0.9);
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        } else {
          image.getRaster().setSample(x, y, 0, g);
        }
      }
    }
    Path file = dir.resolve(String.format("photo-%03d.%s", index, jpeg ? "jpg" : "png"));
    if (!ImageIO.write(image, jpeg ? "jpeg" : "png", file.toFile())) {
      throw new IOException("no writer for " + file);
    }
    return file;
  }

  private static double bilinear(float[] images, int offset, double u, double v) {
    int x0 = (int) Math.floor(u);
    int y0 = (int) Math.floor(v);
    double tx = u - x0;
    double ty = v - y0;
    return at(images, offset, x0, y0) * (1 - tx) * (1 - ty)
        + at(images, offset, x0 + 1, y0) * tx * (1 - ty)
        + at(images, offset, x0, y0 + 1) * (1 - tx) * ty
        + at(images, offset, x0 + 1, y0 + 1) * tx * ty;
  }

  private static double at(float[] images, int offset, int x, int y) {
    return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : images[offset + y * 28 + x];
  }

  /** A 28x28 grey PNG of image {@code index}, as in the data set, optionally inverted. */
  public static Path mnistPng(float[] images, int index, boolean invert, Path file)
      throws IOException {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 784; i++) {
      int g = Math.round(images[index * 784 + i] * 255);
      image.getRaster().setSample(i % 28, i / 28, 0, invert ? 255 - g : g);
    }
    ImageIO.write(image, "png", file.toFile());
    return file;
  }
}
