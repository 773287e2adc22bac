package org.tfmnist.cli;

import org.tfmnist.model.GradientDescent;
import org.tfmnist.model.InputShape;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.run.RunSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** "MNIST For ML Beginners": softmax regression, 1000 steps of 100 images, gradient descent 0.5. */
@Command(
    name = "beginners",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = TutorialDefaults.Beginners.class,
    description = {
      "MNIST For ML Beginners: softmax regression y = softmax(xW + b), trained by gradient descent.",
      "Writes <run-dir>/metrics.csv (one row per epoch), loss.png, accuracy.png, checkpoint/ and saved_model/."
    })
final class BeginnersCommand extends MnistTrainingCommand {
  @Mixin WriteupOptions writeup = new WriteupOptions();

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    return common(steps, epochs)
        .model(SoftmaxRegression.NAME)
        .optimizer(OptimizerKind.SGD)
        .learningRate(learningRateOr(0.5f))
        .variant(writeup.variant(spec))
        .build();
  }

  @Override
  ModelBuilder builder(RunSettings settings) {
    return new SoftmaxRegression(
        new GradientDescent(settings.learningRate()),
        InputShape.MNIST,
        settings.variant().lossSum(),
        false);
  }
}
