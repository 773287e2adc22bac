package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.model.GradientDescent;
import org.tfmnist.model.InputShape;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.report.MetricsTable;
import org.tfmnist.run.ExampleTracer;
import org.tfmnist.train.listeners.Checkpoints;

/**
 * 000, the digits write-up ({@code 000_89437fe899f4f4ef.txt}): softmax regression on scikit-learn's
 * 8x8 digits, {@code b} the constant {@code tf.zeros([10])}, gradient descent 0.001 on the summed
 * cross-entropy, batch 128, 100 epochs, the test accuracy printed every 10 epochs from the first,
 * the data set's first image (a 0) drawn with its inverse and traced through the model after epoch
 * 11.
 */
final class DigitsWriteup implements Protocol {
  static final int EPOCHS = 100;
  static final int TRACE_EPOCH = 11;
  static final String DATA = "sklearn digits (1,797; 20% test)";

  /** The write-up's test accuracies after epochs 1, 11, ..., 91, as it prints them. */
  static final Map<Integer, String> PUBLISHED =
      Map.of(
          1, "80.6", 11, "88.6", 21, "90.8", 31, "91.7", 41, "93.1", 51, "93.6", 61, "93.9", 71,
          "94.7", 81, "95.0", 91, "95.0");

  /** The write-up's trace of image 0 after epoch 11: its softmax over the ten classes. */
  static final double[] TRACE_SOFTMAX = {
    0.64753246,
    0.00907515,
    0.02263541,
    0.03436087,
    0.0410281,
    0.05469443,
    0.03289465,
    0.02505547,
    0.04846071,
    0.08426274
  };

  /** ... and its loss, {@code -log softmax[0]}. */
  static final double TRACE_LOSS = 0.43458635;

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    int epochs = r.epochs(EPOCHS, "digits");
    int traceEpoch = Math.min(TRACE_EPOCH, epochs);
    if (traceEpoch != TRACE_EPOCH) {
      r.note("digits: the write-up traces image 0 after epoch 11; traced after epoch " + epochs);
    }
    Path image = r.runDir("000-digits-image-0.png");
    r.command("show", "--dataset", "digits", "--inverse", "0", "--out", image.toString());
    Path dir =
        r.train(
            "000-digits",
            "digits",
            "--bias",
            "constant",
            "--learning-rate",
            "0.001",
            "--batch",
            "128",
            "--epochs",
            Integer.toString(epochs),
            "--explain",
            "0",
            "--explain-epoch",
            Integer.toString(traceEpoch));
    if (r.planOnly()) {
      return List.of();
    }
    MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
    String ours = "sklearn digits (1,437 / 360)";
    List<Figure> figures = new ArrayList<>();
    for (int epoch = 1; epoch <= epochs; epoch += 10) {
      double accuracy = table.rows().get(epoch - 1).testAccuracy();
      figures.add(
          new Figure(
              "test accuracy after epoch " + epoch,
              PUBLISHED.get(epoch),
              DATA,
              Figure.percent(accuracy, 1),
              ours,
              dir.toString()));
    }
    figures.add(
        new Figure(
            "bias b after training",
            "never changed (zeros)",
            DATA,
            "zeros: a constant, not a variable (--bias constant)",
            ours,
            dir.toString()));
    figures.addAll(trace(dir, table.rows().get(traceEpoch - 1).step(), traceEpoch, ours));
    return figures;
  }

  /** Image 0's softmax and loss after {@code epoch}, from that epoch's checkpoint. */
  private static List<Figure> trace(Path dir, long step, int epoch, String ours)
      throws TfmnistException {
    Dataset all = DigitsLoader.loadBundled();
    Path checkpoint =
        Checkpoints.at(dir, step)
            .orElseThrow(() -> new TfmnistException(dir + ": no checkpoint at step " + step));
    SoftmaxRegression model =
        new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, true);
    ExampleTracer.Trace t = ExampleTracer.traceAt(model, checkpoint, all, 0);
    String what = "image 0 (label " + t.label() + ") after epoch " + epoch;
    return List.of(
        new Figure(
            what + ": softmax[label], loss",
            String.format(Locale.ROOT, "%.4f, %.4f", TRACE_SOFTMAX[0], TRACE_LOSS),
            DATA,
            String.format(Locale.ROOT, "%.4f, %.4f", t.softmax()[t.label()], t.loss()),
            ours,
            dir.toString()),
        new Figure(
            what + ": softmax, classes 0..9",
            PhotoRows.tenValues(TRACE_SOFTMAX),
            DATA,
            PhotoRows.tenValues(t.softmax()),
            ours,
            dir.toString()));
  }
}
