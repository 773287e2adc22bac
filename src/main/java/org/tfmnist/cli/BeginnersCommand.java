package org.tfmnist.cli;

import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.SoftmaxRegression;
import picocli.CommandLine.Command;

/** "MNIST For ML Beginners": softmax regression, 1000 steps of 100 images, gradient descent 0.5. */
@Command(
    name = "beginners",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    defaultValueProvider = TutorialDefaults.Beginners.class,
    description = {
      "MNIST For ML Beginners: softmax regression y = softmax(xW + b), trained by gradient descent.",
      "Writes <run-dir>/metrics.csv (one row per epoch), checkpoint/ and saved_model/."
    })
final class BeginnersCommand extends TrainCommand {
  @Override
  ModelBuilder builder(Settings settings) {
    return new SoftmaxRegression(settings.learningRate());
  }
}
