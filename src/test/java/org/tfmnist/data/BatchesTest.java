package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BatchesTest {
  /** n examples of 3 features; example i has pixels (i, i + 0.25, i + 0.5) and label i % 10. */
  private static Dataset data(int n) {
    float[] images = new float[n * 3];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      images[3 * i] = i;
      images[3 * i + 1] = i + 0.25f;
      images[3 * i + 2] = i + 0.5f;
      labels[i] = i % 10;
    }
    return new Dataset(images, labels, 3);
  }

  @Test
  void orderIsDeterministicPerSeedAndEpoch() {
    Batches a = new Batches(data(1000), 32, 42);
    Batches b = new Batches(data(1000), 32, 42);
    assertArrayEquals(a.order(3), b.order(3));
    b.order(7);
    assertArrayEquals(a.order(3), b.order(3));
    assertFalse(Arrays.equals(a.order(0), a.order(1)));
    assertFalse(Arrays.equals(a.order(0), new Batches(data(1000), 32, 43).order(0)));
  }

  @Test
  void orderIsAPermutation() {
    Batches batches = new Batches(data(1001), 10, 7);
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] sorted = batches.order(epoch);
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        assertEquals(i, sorted[i]);
      }
    }
  }

  @Test
  void stepsAndLastPartialBatch() {
    Batches batches = new Batches(data(103), 10, 1);
    assertEquals(11, batches.stepsPerEpoch());
    float[] img = new float[30];
    float[] hot = new float[100];
    assertEquals(10, batches.fill(0, 0, img, hot));
    assertEquals(3, batches.fill(0, 10, img, hot));
    assertThrows(IndexOutOfBoundsException.class, () -> batches.fill(0, 11, img, hot));
    assertEquals(10, new Batches(data(100), 10, 1).stepsPerEpoch());
  }

  @Test
  void fillCopiesImagesAndOneHotInEpochOrder() {
    Batches batches = new Batches(data(57), 8, 99);
    float[] img = new float[8 * 3];
    float[] hot = new float[8 * 10];
    int[] seen = new int[57];
    for (int epoch = 0; epoch < 2; epoch++) {
      int[] order = batches.order(epoch);
      for (int step = 0; step < batches.stepsPerEpoch(); step++) {
        Arrays.fill(hot, 0.5f);
        int rows = batches.fill(epoch, step, img, hot);
        for (int r = 0; r < rows; r++) {
          int index = order[step * 8 + r];
          assertEquals(index, img[3 * r]);
          assertEquals(index + 0.5f, img[3 * r + 2]);
          for (int c = 0; c < 10; c++) {
            assertEquals(c == index % 10 ? 1f : 0f, hot[10 * r + c]);
          }
          seen[index]++;
        }
      }
    }
    for (int count : seen) {
      assertEquals(2, count);
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Batches(data(5), 0, 1));
    Batches batches = new Batches(data(5), 4, 1);
    assertThrows(
        IllegalArgumentException.class, () -> batches.fill(0, 0, new float[11], new float[40]));
  }
}
