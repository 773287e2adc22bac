package org.tfmnist.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * scikit-learn's 8x8 digits ({@code digits.csv.gz}: one image per row, 64 values 0..16 then the
 * label 0..9; gzip or plain CSV), scaled to 0..1 by dividing by 16, and split into training and
 * test sets as {@code train_test_split} does.
 */
public final class DigitsLoader {
  public static final int FEATURES = 64;
  public static final int MAX_VALUE = 16;

  /**
   * Stands for the digits bundled in the jar (a copy of the repository's {@code
   * data/digits/digits.csv.gz}) wherever a path to the data is recorded, e.g. in {@code
   * run.properties}; {@link #load} reads the bundled copy for it.
   */
  public static final Path BUNDLED = Path.of("/tfmnist.jar!/org/tfmnist/data/digits.csv.gz");

  private static final String RESOURCE = "/org/tfmnist/data/digits.csv.gz";

  /** More rows than any digits file has: a bound on what is read into memory. */
  static final int MAX_ROWS = 100_000;

  private DigitsLoader() {}

  /**
   * Reads every row of {@code file}, validating each; {@link #BUNDLED} reads the copy in the jar.
   */
  public static Dataset load(Path file) throws DataException {
    if (BUNDLED.equals(file)) {
      return loadBundled();
    }
    try (InputStream raw = Files.newInputStream(file)) {
      return parse(file, raw);
    } catch (NoSuchFileException e) {
      throw DataException.of(
          file, "not found (leave out --data-file for the digits bundled in the jar)");
    } catch (IOException e) {
      throw DataException.of(file, "cannot read: " + e.getMessage());
    }
  }

  /** The digits bundled in the jar: scikit-learn's 1,797 images. */
  public static Dataset loadBundled() throws DataException {
    try (InputStream raw = DigitsLoader.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw DataException.of(BUNDLED, "not in the jar (a build without its resources?)");
      }
      return parse(BUNDLED, raw);
    } catch (IOException e) {
      throw DataException.of(BUNDLED, "cannot read: " + e.getMessage());
    }
  }

  /** "the digits bundled in the jar" for {@link #BUNDLED}, else the file. */
  public static String describe(Path file) {
    return BUNDLED.equals(file) ? "the digits bundled in the jar" : file.toString();
  }

  private static Dataset parse(Path file, InputStream raw) throws DataException {
    try (InputStream in =
            file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        CSVParser parser = CSVFormat.DEFAULT.parse(reader)) {
      float[] pixels = new float[1024 * FEATURES];
      int[] labels = new int[1024];
      int n = 0;
      for (CSVRecord record : parser) {
        if (n == MAX_ROWS) {
          throw DataException.of(file, "more than " + MAX_ROWS + " rows; not a digits file");
        }
        if (n == labels.length) {
          labels = java.util.Arrays.copyOf(labels, n * 2);
          pixels = java.util.Arrays.copyOf(pixels, n * 2 * FEATURES);
        }
        labels[n] = parseRow(file, record, pixels, n * FEATURES);
        n++;
      }
      if (n == 0) {
        throw DataException.of(file, "no rows");
      }
      return new Dataset(
          java.util.Arrays.copyOf(pixels, n * FEATURES),
          java.util.Arrays.copyOf(labels, n),
          FEATURES);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw DataException.of(file, "cannot read: " + e.getMessage());
    }
  }

  private static int parseRow(Path file, CSVRecord record, float[] pixels, int offset)
      throws DataException {
    long line = record.getRecordNumber();
    if (record.size() != FEATURES + 1) {
      throw DataException.of(
          file,
          "line "
              + line
              + ": expected "
              + (FEATURES + 1)
              + " values (64 pixels and a label), got "
              + record.size());
    }
    for (int i = 0; i <= FEATURES; i++) {
      int value;
      try {
        value = Integer.parseInt(record.get(i).trim());
      } catch (NumberFormatException e) {
        throw DataException.of(
            file,
            "line " + line + ", column " + (i + 1) + ": not an integer: '" + record.get(i) + "'");
      }
      int max = i < FEATURES ? MAX_VALUE : Dataset.NUM_CLASSES - 1;
      if (value < 0 || value > max) {
        throw DataException.of(
            file, "line " + line + ", column " + (i + 1) + ": " + value + " is outside 0.." + max);
      }
      if (i < FEATURES) {
        pixels[offset + i] = value / (float) MAX_VALUE;
      } else {
        return value;
      }
    }
    throw new AssertionError("unreachable");
  }

  /**
   * {@code train_test_split(test_size=testFraction)}: a seeded permutation; its first {@code
   * ceil(testFraction * N)} examples are the test set, the rest the training set (1,797 digits,
   * 0.2: 360 test, 1,437 training).
   */
  public static DataSplits split(Dataset all, double testFraction, long seed) {
    int n = all.size();
    int testSize = (int) Math.ceil(testFraction * n);
    int[] order = Permutation.of(n, seed);
    return new DataSplits(subset(all, order, testSize, n), subset(all, order, 0, testSize));
  }

  /** Whether {@link #split} puts example {@code index} of {@code size} into the test set. */
  public static boolean isTest(int size, double testFraction, long seed, int index) {
    int testSize = (int) Math.ceil(testFraction * size);
    int[] order = Permutation.of(size, seed);
    for (int i = 0; i < testSize; i++) {
      if (order[i] == index) {
        return true;
      }
    }
    return false;
  }

  private static Dataset subset(Dataset all, int[] order, int from, int to) {
    int f = all.features();
    float[] images = new float[(to - from) * f];
    int[] labels = new int[to - from];
    for (int i = from; i < to; i++) {
      all.copyImage(order[i], images, (i - from) * f);
      labels[i - from] = all.labels()[order[i]];
    }
    return new Dataset(images, labels, f);
  }
}
