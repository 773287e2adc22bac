package org.tfmnist.cli;

import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "Deep MNIST for Experts": the two-layer CNN with dropout, 20,000 steps of 50 images, Adam 1e-4. */
@Command(
    name = "experts",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    defaultValueProvider = TutorialDefaults.Experts.class,
    description = {
      "Deep MNIST for Experts: conv-pool-conv-pool-fc1024-dropout-readout, trained with Adam.",
      "Writes <run-dir>/metrics.csv (one row per epoch), checkpoint/ (every epoch; see --resume)"
          + " and saved_model/."
    })
final class ExpertsCommand extends TrainCommand {
  @Option(names = "--keep-prob", paramLabel = "P", description = "Dropout keep probability while training (default: ${DEFAULT-VALUE}).")
  float keepProb;

  @Override
  float keepProb() {
    return keepProb;
  }

  @Override
  ModelBuilder builder(Settings settings) {
    return new DeepMnistCnn(settings.learningRate(), settings.seed());
  }
}
