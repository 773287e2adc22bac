package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.ConfusionMatrix;
import org.tfmnist.serving.Prediction;
import org.tfmnist.serving.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Evaluates an exported SavedModel on a data set's test images: accuracy and confusion matrix. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = "Loads a SavedModel and prints its test accuracy and confusion matrix (rows true, columns predicted).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "SavedModel directory (e.g. <run-dir>/saved_model).")
  Path model;

  @Mixin DataOptions data = new DataOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = System.out;
    try (Predictor predictor = Predictor.load(model)) {
      Dataset test = data.loadTest(out);
      Prediction[] predictions = predictor.predict(test.images(), test.size());
      ConfusionMatrix matrix = new ConfusionMatrix(MnistShape.CLASSES);
      for (int i = 0; i < predictions.length; i++) {
        matrix.add(test.labels()[i], predictions[i].digit());
      }
      out.printf(Locale.ROOT, "test accuracy %.4f%n", matrix.accuracy());
      out.printf(Locale.ROOT, "%d of %d test images correct%n", matrix.correct(), matrix.total());
      out.print(matrix.format());
    }
    return 0;
  }
}
