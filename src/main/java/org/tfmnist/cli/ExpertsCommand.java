package org.tfmnist.cli;

import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.Optimizers;
import org.tfmnist.train.RunSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "Deep MNIST for Experts": the two-layer CNN with dropout, 20,000 steps of 50 images, Adam 1e-4. */
@Command(
    name = "experts",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = TutorialDefaults.Experts.class,
    description = {
      "Deep MNIST for Experts: conv-pool-conv-pool-fc1024-dropout-readout, trained with Adam.",
      "Writes <run-dir>/metrics.csv (one row per epoch), loss.png, accuracy.png, checkpoint/"
          + " (every epoch; see --resume) and saved_model/."
    })
final class ExpertsCommand extends MnistTrainingCommand {
  @Option(names = "--keep-prob", paramLabel = "P", description = "Dropout keep probability while training.")
  float keepProb;

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    return new RunSettings(spec.name(), DeepMnistCnn.NAME, datasetName(), dataDirectory(), steps, epochs,
        batch, Optimizers.ADAM, learningRateOr(1e-4f), keepProb, seed, logEvery, 0, false);
  }

  /** The tutorial's Adam (TF1's epsilon 1e-8). */
  @Override
  ModelBuilder builder(RunSettings settings) {
    return new DeepMnistCnn(settings.learningRate(), settings.seed());
  }
}
