package org.tfmnist.report;

import java.util.Locale;

/** Counts of (true class, predicted class) pairs; rows are true classes, columns predictions. */
public final class ConfusionMatrix {
  private final long[][] counts;

  public ConfusionMatrix(int classes) {
    counts = new long[classes][classes];
  }

  public void add(int trueClass, int predicted) {
    counts[trueClass][predicted]++;
  }

  public long count(int trueClass, int predicted) {
    return counts[trueClass][predicted];
  }

  /** The diagonal: predictions equal to the true class. */
  public long correct() {
    long sum = 0;
    for (int i = 0; i < counts.length; i++) {
      sum += counts[i][i];
    }
    return sum;
  }

  public long total() {
    long sum = 0;
    for (long[] row : counts) {
      for (long c : row) {
        sum += c;
      }
    }
    return sum;
  }

  public double accuracy() {
    long total = total();
    return total == 0 ? 0 : (double) correct() / total;
  }

  /** The matrix as aligned text: a header of predicted classes, one row per true class. */
  public String format() {
    long max = 0;
    for (long[] row : counts) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    int width =
        Math.max(Long.toString(max).length(), Integer.toString(counts.length - 1).length()) + 1;
    String cell = "%" + width + "s";
    StringBuilder sb = new StringBuilder();
    sb.append("true\\pred");
    for (int c = 0; c < counts.length; c++) {
      sb.append(String.format(Locale.ROOT, cell, c));
    }
    sb.append('\n');
    for (int r = 0; r < counts.length; r++) {
      sb.append(String.format(Locale.ROOT, "%9d", r));
      for (int c = 0; c < counts.length; c++) {
        sb.append(String.format(Locale.ROOT, cell, counts[r][c]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
