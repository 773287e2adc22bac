package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 001, the Beginners/Experts write-up ({@code 001_4aca60708b2885d1.txt}): TF's {@code input_data}
 * (55,000 training images, the first 5,000 held out for validation); Beginners as its code writes
 * it, {@code -reduce_sum(y_ * log(y))} by gradient descent 0.01, 1,000 steps of 100; Experts, the
 * CNN on the same summed loss, Adam 1e-4, 20,000 steps of 50, keep_prob 0.5.
 */
final class BeginnersWriteup implements Protocol {
  static final int VALIDATION = 5000;
  static final int MNIST_TRAIN = 60000;

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    MnistData data = r.data();
    int validation = validationSize(r);
    long beginnersSteps = r.steps(1000, "beginners");
    Path beginners =
        r.train(
            "001-beginners",
            "beginners",
            "--data-dir",
            data.dir().toString(),
            "--loss",
            "sum",
            "--learning-rate",
            "0.01",
            "--batch",
            "100",
            "--steps",
            Long.toString(beginnersSteps),
            "--validation-size",
            Integer.toString(validation));
    long expertsSteps = r.steps(20000, "experts");
    Path experts =
        r.train(
            "001-experts",
            "experts",
            "--data-dir",
            data.dir().toString(),
            "--loss",
            "sum",
            "--learning-rate",
            "1e-4",
            "--steps",
            Long.toString(expertsSteps),
            "--batch",
            "50",
            "--keep-prob",
            "0.5",
            "--validation-size",
            Integer.toString(validation));
    if (r.planOnly()) {
      return List.of();
    }
    return List.of(
        figure("Beginners", 1000, 100, beginnersSteps, "about 91", beginners, data, validation),
        figure("Experts", 20000, 50, expertsSteps, "about 99.2", experts, data, validation));
  }

  /**
   * The write-up's data for a run of {@code steps} of {@code batch} on {@code input_data}'s 55,000
   * training images: "full MNIST (55,000 / 10,000): 20,000 steps of 50 = 18.2 epochs".
   */
  static String inputData(long steps, int batch) {
    return String.format(
        Locale.ROOT,
        "full MNIST (55,000 / 10,000): %s",
        amount(steps, batch, MNIST_TRAIN - VALIDATION));
  }

  /** Our data, its validation hold-out and what {@code steps} of {@code batch} amount to on it. */
  static String ourData(MnistData data, int validation, long steps, int batch) {
    return String.format(
        Locale.ROOT,
        "%s, first %,d for validation: %s on %,d",
        data.describe(),
        validation,
        amount(steps, batch, data.trainSize() - validation),
        data.trainSize() - validation);
  }

  /** "20,000 steps of 50 = 18.2 epochs". */
  static String amount(long steps, int batch, int examples) {
    return String.format(
        Locale.ROOT,
        "%,d steps of %d = %.1f epochs",
        steps,
        batch,
        (double) steps * batch / examples);
  }

  /** 5,000 on full MNIST; elsewhere the same fraction of the training set, said in a note. */
  static int validationSize(Reproduction r) {
    MnistData data = r.data();
    if (data.fullMnist()) {
      return VALIDATION;
    }
    int scaled = (int) Math.round((double) VALIDATION * data.trainSize() / MNIST_TRAIN);
    r.note(
        "input_data holds out 5,000 of full MNIST's 60,000 training images; on "
            + data.name()
            + " the same fraction, the first "
            + scaled);
    return scaled;
  }

  private static Figure figure(
      String model,
      long written,
      int batch,
      long steps,
      String published,
      Path dir,
      MnistData data,
      int validation)
      throws TfmnistException {
    MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
    return new Figure(
        String.format(Locale.ROOT, "%s: test accuracy after %,d steps", model, written),
        published,
        inputData(written, batch),
        Figure.after(Figure.percent(table.last().testAccuracy(), 1), steps, written, "steps"),
        ourData(data, validation, steps, batch),
        dir.toString());
  }
}
