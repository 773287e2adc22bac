package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.inference.WriteupPreparation;

/**
 * 002's photo rows: each photo prepared with the write-up's recipe and classified by the CNN, all
 * ten probabilities printed, beside the write-up's photo in the same place (its three photos, a 9,
 * a 2 and a 5, with the probability vectors {@code 002_b14f580601e13620.txt} prints).
 */
final class PhotoRows {
  /** One of the write-up's photos: its file name, the digit it read and its ten probabilities. */
  record Published(String file, int digit, double[] probabilities) {
    String describe() {
      return tenProbabilities(digit, probabilities);
    }
  }

  static final List<Published> PUBLISHED =
      List.of(
          new Published(
              "IMG_0738.JPG",
              9,
              new double[] {
                2.06287275e-03, 1.74993195e-03, 4.54939815e-04, 7.90851656e-03, 2.34299470e-02,
                2.60760845e-03, 5.51027420e-04, 1.70881534e-03, 1.58075709e-02, 9.43718731e-01
              }),
          new Published(
              "IMG_0739.JPG",
              2,
              new double[] {
                2.62831487e-02, 8.93540913e-04, 8.38274121e-01, 8.43088049e-03, 6.77698408e-04,
                1.14618964e-03, 3.20915715e-04, 5.88077062e-04, 4.33761925e-02, 8.00093859e-02
              }),
          new Published(
              "IMG_0740.JPG",
              5,
              new double[] {
                1.53723324e-03, 4.16706243e-05, 3.47848509e-05, 9.35698044e-04, 5.70868782e-04,
                9.34737563e-01, 4.11881716e-04, 1.19289827e-04, 5.45489453e-02, 7.06205983e-03
              }));

  private PhotoRows() {}

  /**
   * Classifies {@code photos} with the SavedModel {@code model}; prints each photo's ten
   * probabilities and returns one row per photo.
   *
   * @param samples whether the photos are {@link SamplePhotos} (a 9, a 2, a 5 in the write-up's
   *     order) rather than the user's
   */
  static List<Figure> classify(List<Path> photos, Path model, boolean samples, Reproduction r)
      throws TfmnistException {
    List<Figure> rows = new ArrayList<>();
    try (Predictor predictor = Predictor.load(model)) {
      for (int i = 0; i < photos.size(); i++) {
        Path photo = photos.get(i);
        Prediction p = predictor.predict(WriteupPreparation.load(photo), 1)[0];
        String ours = tenProbabilities(p.digit(), p.probabilities());
        r.print("002: " + photo + " (write-up recipe): " + ours);
        rows.add(row(i, photo, ours, samples, model));
      }
    }
    return rows;
  }

  private static Figure row(int i, Path photo, String ours, boolean samples, Path model) {
    String what = samples ? "sample photo of a " + SamplePhotos.DIGITS.get(i) : "your photo";
    if (i >= PUBLISHED.size()) {
      return new Figure(
          String.format(Locale.ROOT, "photo %d (%s): digit (p); p(0..9)", i + 1, what),
          "(the write-up has three photos)",
          "",
          ours,
          photo.toString(),
          model.toString());
    }
    Published theirs = PUBLISHED.get(i);
    return new Figure(
        String.format(
            Locale.ROOT,
            "photo %d (%s) beside the write-up's %s (a %d): digit (p); p(0..9)",
            i + 1,
            what,
            theirs.file(),
            theirs.digit()),
        theirs.describe(),
        "the author's photo " + theirs.file() + ", write-up recipe",
        ours,
        photo + ", write-up recipe",
        model.toString());
  }

  /** "9 (0.9437); 0.0021 0.0017 ... 0.9437". */
  static String tenProbabilities(int digit, double[] p) {
    return String.format(Locale.ROOT, "%d (%.4f); %s", digit, p[digit], tenValues(p));
  }

  static String tenProbabilities(int digit, float[] p) {
    return tenProbabilities(digit, doubles(p));
  }

  /** "0.0021 0.0017 ... 0.9437": each value with four decimals. */
  static String tenValues(double[] p) {
    StringBuilder sb = new StringBuilder();
    for (double v : p) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", v));
    }
    return sb.toString();
  }

  static String tenValues(float[] p) {
    return tenValues(doubles(p));
  }

  private static double[] doubles(float[] p) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    return d;
  }
}
