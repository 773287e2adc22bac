package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.model.GradientDescent;
import org.tfmnist.model.InputShape;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.run.ExampleTracer;
import org.tfmnist.run.ModelExporter;
import org.tfmnist.run.RunSettings;
import org.tfmnist.run.RunVariant;
import org.tfmnist.train.TrainingPlan;
import org.tfmnist.train.listeners.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
      description =
          "A digits CSV (64 values 0..16 and the label per row; gzip or plain). Default: the"
              + " scikit-learn digits bundled in the jar (a copy of data/digits/digits.csv.gz).")
  Path dataFile;

  @Option(
      names = "--bias",
      paramLabel = "KIND",
      defaultValue = "trained",
      description =
          "trained: b is a zero-initialised variable; constant: b = tf.zeros([10]), a constant never"
              + " trained, as the write-up declares it.")
  String bias = "trained";

  @Option(
      names = "--explain",
      paramLabel = "N",
      description =
          "After training, trace image N of the data set (0..1796, the CSV's order; the write-up"
              + " traces image 0): logits, softmax, log-softmax, one-hot label, each class's"
              + " cross-entropy term and the loss, fetched from the graph.")
  Integer explain;

  @Option(
      names = "--explain-epoch",
      paramLabel = "E",
      description =
          "Trace with the weights after epoch E (every epoch's checkpoint is kept; default: the"
              + " last). The write-up traces after epoch 11.")
  Integer explainEpoch;

  private Dataset all;

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    if (explainEpoch != null
        && (explain == null || epochs == 0 || explainEpoch < 1 || explainEpoch > epochs)) {
      throw new ParameterException(
          spec.commandLine(),
          "--explain-epoch needs --explain and --epochs, and must be in 1..EPOCHS, got "
              + explainEpoch);
    }
    RunVariant variant;
    try {
      variant = RunVariant.of("sum", bias, 0);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return common(steps, epochs)
        .model(SoftmaxRegression.NAME)
        .dataset(DATASET)
        .dataPath(dataFile == null ? DigitsLoader.BUNDLED : dataFile.toAbsolutePath().normalize())
        .optimizer(OptimizerKind.SGD)
        .learningRate(learningRateOr(0.001f))
        .variant(variant)
        .build();
  }

  @Override
  DataSplits load(RunSettings settings, PrintStream out) throws TfmnistException {
    all = DigitsLoader.load(settings.dataPath());
    DataSplits splits = DigitsLoader.split(all, TEST_FRACTION, settings.seed());
    out.printf(
        Locale.ROOT,
        "digits: %d training, %d test images from %s%n",
        splits.train().size(),
        splits.test().size(),
        DigitsLoader.describe(settings.dataPath()));
    if (explain != null && (explain < 0 || explain >= all.size())) {
      throw new ParameterException(
          spec.commandLine(),
          "--explain must be an image index of the data set 0.."
              + (all.size() - 1)
              + ", got "
              + explain);
    }
    return splits;
  }

  @Override
  ModelBuilder builder(RunSettings settings) {
    return new SoftmaxRegression(
        new GradientDescent(settings.learningRate()),
        InputShape.DIGITS,
        true, // always summed, as the write-up: runs recorded before the 'loss' key read as mean
        settings.variant().constantBias());
  }

  @Override
  Optional<ModelExporter> exporter(RunSettings settings) {
    return Optional.empty();
  }

  @Override
  void afterRun(RunSettings settings, DataSplits splits, Path dir) throws TfmnistException {
    if (explain == null) {
      return;
    }
    String when = "after the last epoch";
    Path checkpoint = Checkpoints.latest(dir).orElse(null);
    if (explainEpoch != null) {
      long step =
          (long) explainEpoch * TrainingPlan.stepsPerEpoch(splits.train().size(), settings.batch());
      checkpoint =
          Checkpoints.at(dir, step)
              .orElseThrow(
                  () ->
                      new TfmnistException(
                          dir
                              + ": no checkpoint of epoch "
                              + explainEpoch
                              + " (step "
                              + step
                              + ")"));
      when = "after epoch " + explainEpoch + " (step " + step + ")";
    }
    if (checkpoint == null) {
      throw new TfmnistException(dir + ": no checkpoint to trace an example with");
    }
    ExampleTracer.Trace trace = ExampleTracer.traceAt(builder(settings), checkpoint, all, explain);
    boolean test = DigitsLoader.isTest(all.size(), TEST_FRACTION, settings.seed(), explain);
    String heading =
        String.format(
            Locale.ROOT,
            "data-set image %d (label %d, in the %s set), %s, traced through the graph:",
            explain,
            trace.label(),
            test ? "test" : "training",
            when);
    TracePrinter.print(trace, heading, Console.out(spec));
  }
}
