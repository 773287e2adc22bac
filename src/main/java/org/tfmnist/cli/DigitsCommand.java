package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.model.GradientDescent;
import org.tfmnist.model.InputShape;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.Optimizers;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.run.ExampleTracer;
import org.tfmnist.run.ModelExporter;
import org.tfmnist.run.RunSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The digits write-up: softmax regression on scikit-learn's 8x8 digits (20% held out), zero initial
 * weights, plain gradient descent, and one test example's loss traced term by term.
 */
@Command(
    name = "digits",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = TutorialDefaults.Digits.class,
    description = {
      "Softmax regression on scikit-learn's 8x8 digits (1,797 images, values 0..16 / 16; 20%% held out"
          + " for testing), W and b zero-initialised, gradient descent.",
      "Writes <run-dir>/metrics.csv (one row per epoch), loss.png, accuracy.png and checkpoint/."
          + " No SavedModel: the serving contract takes 28x28 images."
    })
final class DigitsCommand extends TrainingCommand {
  static final String DATASET = "digits";
  static final double TEST_FRACTION = 0.2;

  @Option(
      names = "--data-file",
      paramLabel = "FILE",
      defaultValue = "data/digits/digits.csv.gz",
      description = "The digits CSV (64 values 0..16 and the label per row; gzip or plain).")
  Path dataFile;

  @Option(
      names = "--explain",
      paramLabel = "N",
      description =
          "After training, trace test image N: logits, softmax, log-softmax, one-hot label, each"
              + " class's cross-entropy term and the loss, fetched from the graph.")
  Integer explain;

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    return new RunSettings(
        spec.name(),
        SoftmaxRegression.NAME,
        DATASET,
        dataFile.toAbsolutePath().normalize(),
        steps,
        epochs,
        batch,
        Optimizers.SGD,
        learningRateOr(0.001f),
        1f,
        seed,
        logEvery,
        0,
        false);
  }

  @Override
  DataSplits load(RunSettings settings, PrintStream out) throws TfmnistException {
    DataSplits splits =
        DigitsLoader.split(DigitsLoader.load(settings.dataPath()), TEST_FRACTION, settings.seed());
    out.printf(
        Locale.ROOT,
        "digits: %d training, %d test images from %s%n",
        splits.train().size(),
        splits.test().size(),
        settings.dataPath());
    if (explain != null && (explain < 0 || explain >= splits.test().size())) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--explain must be a test image index 0.."
              + (splits.test().size() - 1)
              + ", got "
              + explain);
    }
    return splits;
  }

  @Override
  ModelBuilder builder(RunSettings settings) {
    return new SoftmaxRegression(
        new GradientDescent(settings.learningRate()), InputShape.DIGITS, true);
  }

  @Override
  Optional<ModelExporter> exporter(RunSettings settings) {
    return Optional.empty();
  }

  @Override
  void afterRun(RunSettings settings, DataSplits splits, Path dir) throws TfmnistException {
    if (explain != null) {
      print(ExampleTracer.trace(builder(settings), dir, splits.test(), explain), System.out);
    }
  }

  static void print(ExampleTracer.Trace t, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "test image %d, label %d, traced through the trained graph:%n",
        t.index(),
        t.label());
    out.printf(
        Locale.ROOT,
        "%5s %10s %10s %12s %7s %14s%n",
        "class",
        "logit",
        "softmax",
        "log_softmax",
        "one_hot",
        "-y*log_softmax");
    float softmaxSum = 0;
    for (int c = 0; c < t.logits().length; c++) {
      out.printf(
          Locale.ROOT,
          "%5d %10.5f %10.6f %12.6f %7.0f %14.6f%n",
          c,
          t.logits()[c],
          t.softmax()[c],
          t.logSoftmax()[c],
          t.oneHot()[c],
          t.terms()[c]);
      softmaxSum += t.softmax()[c];
    }
    out.printf(Locale.ROOT, "sum of softmax: %.6f%n", softmaxSum);
    out.printf(
        Locale.ROOT, "loss = sum of the terms = -log_softmax[%d] = %.6f%n", t.label(), t.termSum());
    out.printf(
        Locale.ROOT,
        "the graph's cross_entropy (softmax_cross_entropy_with_logits): %.6f%n",
        t.loss());
  }
}
