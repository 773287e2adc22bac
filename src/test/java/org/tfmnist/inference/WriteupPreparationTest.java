package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The own-photos write-up's recipe, checked value by value on pictures whose answer is known. */
@Tag("unit")
class WriteupPreparationTest {
  @Test
  void recipeArithmetic() {
    // clip(2 * (1 - g / 255) - 0.5, 0, 1)
    assertEquals(1f, WriteupPreparation.value(0), 0f, "black ink: 1.5 clipped to 1");
    assertEquals(0f, WriteupPreparation.value(255), 0f, "white paper: -0.5 clipped to 0");
    assertEquals(0.5f, WriteupPreparation.value(255 * 0.5), 1e-6f, "mid grey: 2 * 0.5 - 0.5");
    assertEquals(2 * (1 - 64 / 255.0) - 0.5, WriteupPreparation.value(64), 1e-6);
    assertEquals(2 * (1 - 191 / 255.0) - 0.5, WriteupPreparation.value(191), 1e-6);
    assertEquals(0f, WriteupPreparation.value(200), 0f, "light grey: below 0, clipped");
    assertEquals(1f, WriteupPreparation.value(60), 0f, "dark grey: above 1, clipped");
  }

  @Test
  void thumbnailKeepsAspectAndNeverEnlarges() {
    assertArrayEquals(new int[] {28, 14}, WriteupPreparation.thumbnailSize(200, 100, 28));
    assertArrayEquals(new int[] {14, 28}, WriteupPreparation.thumbnailSize(100, 200, 28));
    assertArrayEquals(new int[] {20, 10}, WriteupPreparation.thumbnailSize(20, 10, 28));
    assertArrayEquals(new int[] {28, 27}, WriteupPreparation.thumbnailSize(30, 29, 28));
    assertArrayEquals(new int[] {28, 28}, WriteupPreparation.thumbnailSize(3000, 3000, 28));
    assertArrayEquals(new int[] {28, 1}, WriteupPreparation.thumbnailSize(1000, 10, 28));
  }

  /**
   * A 56x28 grey picture of 2x2 blocks: the thumbnail is 28x14, each block one pixel, centred on
   * white paper (rows 0-6 and 21-27 are 0).
   */
  @Test
  void knownPictureGivesTheWriteupsValues() {
    int[] greys = {0, 64, 128, 191, 255};
    BufferedImage image = new BufferedImage(56, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 56; x++) {
        int g = greys[(x / 2 + y / 2) % greys.length];
        image.getRaster().setSample(x, y, 0, g);
      }
    }
    float[] out = WriteupPreparation.prepare(image);
    assertEquals(784, out.length);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        float expected;
        if (y < 7 || y >= 21) {
          expected = 0f;
        } else {
          double g = greys[(x + (y - 7)) % greys.length];
          expected = (float) Math.min(1, Math.max(0, 2 * (1 - g / 255) - 0.5));
        }
        assertEquals(expected, out[y * 28 + x], 1e-5f, "pixel " + x + "," + y);
      }
    }
    assertEquals(1f, out[7 * 28], 0f, "block 0 (black) -> 1");
    assertEquals(0.49608f, out[7 * 28 + 2], 1e-5f, "block 2 (grey 128) -> 2 * 127/255 - 0.5");
  }

  @Test
  void shrinkAveragesWhatEachPixelCovers() {
    // 4x2 -> 2x1: each target pixel is the mean of a 2x2 block
    double[] src = {0, 255, 100, 100, 255, 0, 100, 100};
    assertArrayEquals(
        new double[] {127.5, 100}, WriteupPreparation.areaResize(src, 4, 2, 2, 1), 1e-9);
  }
}
