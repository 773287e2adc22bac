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
 * 000, the digits write-up: softmax regression on scikit-learn's 8x8 digits, {@code b} the constant
 * {@code tf.zeros([10])}, gradient descent 0.001 on the summed cross-entropy, batch 128, 100
 * epochs, the test accuracy printed every 10 epochs from the first, the data set's first image (a
 * 0) drawn with its inverse and traced through the model after epoch 11.
 */
final class DigitsWriteup implements Protocol {
  static final int EPOCHS = 100;
  static final int TRACE_EPOCH = 11;
  static final String DATA = "sklearn digits (1,797; 20% test)";
  static final Path FILE = Path.of("data", "digits", "digits.csv.gz");

  /** What the repository knows of the write-up's printed accuracies, by epoch. */
  static final Map<Integer, String> PUBLISHED = Map.of(1, "80.6", 81, "about 95");

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
            "--epochs",
            Integer.toString(epochs),
            "--explain",
            "0",
            "--explain-epoch",
            Integer.toString(traceEpoch));
    MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
    String ours = "sklearn digits (1,437 / 360)";
    List<Figure> figures = new ArrayList<>();
    for (int epoch = 1; epoch <= epochs; epoch += 10) {
      double accuracy = table.rows().get(epoch - 1).testAccuracy();
      figures.add(
          new Figure(
              "test accuracy after epoch " + epoch,
              PUBLISHED.getOrDefault(epoch, "n/a"),
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
    figures.add(trace(dir, table.rows().get(traceEpoch - 1).step(), traceEpoch, ours));
    return figures;
  }

  /** Image 0's loss after {@code epoch}, from that epoch's checkpoint. */
  private static Figure trace(Path dir, long step, int epoch, String ours) throws TfmnistException {
    Dataset all = DigitsLoader.load(FILE);
    Path checkpoint =
        Checkpoints.at(dir, step)
            .orElseThrow(() -> new TfmnistException(dir + ": no checkpoint at step " + step));
    SoftmaxRegression model =
        new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, true);
    ExampleTracer.Trace t = ExampleTracer.traceAt(model, checkpoint, all, 0);
    return new Figure(
        "image 0 (label " + t.label() + ") after epoch " + epoch + ": softmax[label], loss",
        "n/a",
        DATA,
        String.format(Locale.ROOT, "%.4f, %.4f", t.softmax()[t.label()], t.loss()),
        ours,
        dir.toString());
  }
}
