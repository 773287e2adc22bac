package org.tfmnist.inference;

/** Rows of class scores: whether they are probabilities, their softmax, their argmax. */
final class ClassScores {
  /** How far from 1 a row of probabilities may sum (float rounding of a softmax). */
  static final double SUM_TOLERANCE = 1e-3;

  private static final int CLASSES = org.tfmnist.model.MnistShape.CLASSES;

  private ClassScores() {}

  /** Whether every row of 10 in {@code rows} is in [0, 1] and sums to 1 within the tolerance. */
  static boolean allDistributions(float[] rows) {
    for (int start = 0; start < rows.length; start += CLASSES) {
      double sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        float p = rows[start + c];
        if (!(p >= 0f && p <= 1f)) {
          return false;
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        return false;
      }
    }
    return true;
  }

  /** The softmax of {@code logits}, computed stably (the maximum subtracted first). */
  static float[] softmax(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }

  /** The index of the largest value (the first on a tie). */
  static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }
}
