package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nearest-rank percentile and the median, on hand-checked tables. */
@Tag("unit")
class PercentilesTest {
  @ParameterizedTest(name = "p{0} of 1..4 is {1}")
  @CsvSource({"0, 1", "0.25, 1", "0.26, 2", "0.5, 2", "0.51, 3", "0.75, 3", "0.99, 4", "1, 4"})
  void nearestRankOfFourSamples(double q, double expected) {
    assertEquals(expected, Percentiles.percentile(new double[] {4, 1, 3, 2}, q));
  }

  @Test
  void p99OfAThousandSamplesIsThe990th() {
    long[] samples = new long[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = samples.length - i; // 1000 .. 1, unsorted
    }
    assertEquals(990, Percentiles.percentile(samples, 0.99));
    assertEquals(500, Percentiles.percentile(samples, 0.50));
  }

  @ParameterizedTest(name = "median of {0} is {1}")
  @CsvSource({"'3', 3", "'3 1', 2", "'5 1 3', 3", "'4 1 3 2', 2.5"})
  void medianMeansTheTwoMiddleSamplesOfAnEvenCount(String values, double expected) {
    double[] v =
        java.util.Arrays.stream(values.split(" ")).mapToDouble(Double::parseDouble).toArray();
    assertEquals(expected, Percentiles.median(v));
  }

  @Test
  void noSamplesGiveNaNAndInputsAreNotSorted() {
    assertTrue(Double.isNaN(Percentiles.percentile(new double[0], 0.5)));
    assertTrue(Double.isNaN(Percentiles.median(new double[0])));
    double[] v = {3, 1, 2};
    Percentiles.percentile(v, 0.5);
    Percentiles.median(v);
    assertArrayEquals(new double[] {3, 1, 2}, v);
  }

  @Test
  void aQuantileOutsideZeroToOneIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Percentiles.percentile(new double[] {1}, 1.5));
    assertThrows(
        IllegalArgumentException.class, () -> Percentiles.percentile(new double[] {1}, -0.1));
  }
}
