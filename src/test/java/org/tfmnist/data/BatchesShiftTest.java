package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;

@Tag("data")
class BatchesShiftTest {
  /**
   * Every shifted image is its original moved by at most 2 pixels per axis, and the shifts repeat.
   */
  @Test
  void shiftedImagesAreTheirOriginalsMovedAndRepeatWithTheSeed() throws Exception {
    Dataset train = MnistLoader.load(TestData.mnistSmallDir()).train();
    int batch = 100;
    float[] plain = new float[batch * 784];
    float[] shifted = new float[batch * 784];
    float[] again = new float[batch * 784];
    float[] labels = new float[batch * 10];
    new Batches(train, batch, 7).fill(3, 5, plain, labels);
    new Batches(train, batch, 7, 2).fill(3, 5, shifted, labels);
    new Batches(train, batch, 7, 2).fill(3, 5, again, labels);
    assertArrayEquals(shifted, again, "same seed, epoch and step: the same shifts");
    int moved = 0;
    for (int r = 0; r < batch; r++) {
      int[] shift = findShift(plain, shifted, r * 784);
      assertTrue(shift != null, "row " + r + " is not its original shifted by <= 2 pixels");
      if (shift[0] != 0 || shift[1] != 0) {
        moved++;
      }
    }
    assertTrue(moved > batch / 2, "most images move (24 of 25 shifts do); moved " + moved);
    assertThrows(IllegalArgumentException.class, () -> new Batches(train, batch, 7, 28));
  }

  private static int[] findShift(float[] original, float[] shifted, int offset) {
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        boolean same = true;
        for (int y = 0; y < 28 && same; y++) {
          for (int x = 0; x < 28 && same; x++) {
            int sy = y - dy;
            int sx = x - dx;
            float expected =
                sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? original[offset + sy * 28 + sx] : 0f;
            same = shifted[offset + y * 28 + x] == expected;
          }
        }
        if (same) {
          return new int[] {dx, dy};
        }
      }
    }
    return null;
  }
}
