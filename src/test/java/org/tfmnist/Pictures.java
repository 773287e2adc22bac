package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Test helper: decodes a written PNG and measures where a colour lies in it. */
public final class Pictures {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Pictures() {}

  /** Decodes {@code file}, failing unless it is a PNG (by its signature) that ImageIO reads. */
  public static BufferedImage readPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), file + " is not a PNG");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " does not decode");
    return image;
  }

  /**
   * How many pixel columns of {@code image} between {@code fromX} (inclusive) and {@code toX}
   * (exclusive) hold at least one pixel of {@code color} (each channel within 12). A curve drawn
   * across a chart covers most columns of its panel; the legend's line sample covers a few dozen.
   */
  public static int columnsWith(BufferedImage image, Color color, int fromX, int toX) {
    int columns = 0;
    for (int x = fromX; x < toX; x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if (near(image.getRGB(x, y), color)) {
          columns++;
          break;
        }
      }
    }
    return columns;
  }

  public static int columnsWith(BufferedImage image, Color color) {
    return columnsWith(image, color, 0, image.getWidth());
  }

  private static boolean near(int rgb, Color color) {
    Color c = new Color(rgb);
    return Math.abs(c.getRed() - color.getRed()) <= 12
        && Math.abs(c.getGreen() - color.getGreen()) <= 12
        && Math.abs(c.getBlue() - color.getBlue()) <= 12;
  }
}
