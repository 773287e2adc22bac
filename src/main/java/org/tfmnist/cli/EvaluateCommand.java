package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.inference.ClassifierModel;
import org.tfmnist.inference.Prediction;
import org.tfmnist.model.MnistShape;
import org.tfmnist.report.ConfusionMatrix;
import org.tfmnist.report.ImageGrid;
import org.tfmnist.report.PngFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Evaluates a SavedModel on a data set's test images: accuracy and confusion matrix. The model is
 * this project's export or any MNIST classifier ({@link ClassifierModel}).
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description =
        "Loads a SavedModel and prints its test accuracy and confusion matrix (rows true, columns predicted).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "SavedModel directory (e.g. <run-dir>/saved_model), or any classifier with a float"
              + " [-1,784], [-1,28,28] or [-1,28,28,1] input and a [-1,10] output.")
  Path model;

  @Option(
      names = "--mistakes",
      paramLabel = "FILE.png",
      description =
          "Also draw the misclassified test images, with true and predicted labels, into this PNG.")
  Path mistakes;

  @Option(
      names = "--max-mistakes",
      paramLabel = "N",
      defaultValue = "100",
      description = "Draw at most the first N mistakes (default: ${DEFAULT-VALUE}).")
  int maxMistakes;

  @Mixin DataOptions data = new DataOptions();

  @Mixin ClassifierOptions classifier = new ClassifierOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    if (maxMistakes < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-mistakes must be >= 1, got " + maxMistakes);
    }
    PrintStream out = Console.out(spec);
    try (ClassifierModel predictor = classifier.load(model)) {
      Dataset test = data.loadTest(out);
      ClassifierModel.Classification result = predictor.predict(test.images(), test.size());
      Prediction[] predictions = result.predictions();
      out.printf(
          Locale.ROOT,
          "model %s, read as %s%n",
          predictor.signature().summary(),
          result.fromLogits() ? "logits" : "probabilities");
      ConfusionMatrix matrix = new ConfusionMatrix(MnistShape.CLASSES);
      for (int i = 0; i < predictions.length; i++) {
        matrix.add(test.labels()[i], predictions[i].digit());
      }
      out.printf(Locale.ROOT, "test accuracy %.4f%n", matrix.accuracy());
      out.printf(Locale.ROOT, "%d of %d test images correct%n", matrix.correct(), matrix.total());
      out.print(matrix.format());
      if (mistakes != null) {
        drawMistakes(out, test, predictions);
      }
    }
    return 0;
  }

  /**
   * Draws the first {@code maxMistakes} misclassified images, captioned with index, truth and
   * prediction.
   */
  private void drawMistakes(PrintStream out, Dataset test, Prediction[] predictions)
      throws TfmnistException {
    ImageGrid grid = new ImageGrid(test, MnistShape.COLS, MnistShape.ROWS);
    int count = 0;
    for (int i = 0; i < predictions.length; i++) {
      int truth = test.labels()[i];
      int predicted = predictions[i].digit();
      if (predicted != truth) {
        count++;
        if (grid.size() < maxMistakes) {
          grid.add(i, "#" + i, "true " + truth + ", pred " + predicted);
        }
      }
    }
    if (count == 0) {
      out.println("no misclassified test images: " + mistakes + " not written");
      return;
    }
    PngFile.write(grid.render(), mistakes);
    out.printf(
        Locale.ROOT,
        "%d misclassified test images; %s %d drawn in %s%n",
        count,
        grid.size() < count ? "the first" : "all",
        grid.size(),
        mistakes);
  }
}
