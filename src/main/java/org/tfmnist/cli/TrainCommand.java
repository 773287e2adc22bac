package org.tfmnist.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelZoo;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.run.RunSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code train --model NAME}: any model of the {@link ModelZoo} with Keras' defaults (Adam 1e-3,
 * batch 32), Keras' {@code validation_split}, and the label-shuffling experiment.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = TutorialDefaults.Zoo.class,
    description = {
      "Trains a model of the zoo (train --list shows them) with Keras' defaults unless told otherwise"
          + " (learning rate: 0.001 with adam, 0.01 with sgd).",
      "Writes <run-dir>/metrics.csv (one row per epoch), loss.png, accuracy.png, checkpoint/ and saved_model/."
    })
final class TrainCommand extends MnistTrainingCommand {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "The model: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ModelNames.class)
  String model;

  @Option(
      names = "--list",
      description = "Print every model with its trainable-parameter count, and exit.")
  boolean list;

  @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd or adam.")
  String optimizer;

  @Option(
      names = "--validation-split",
      paramLabel = "FRACTION",
      description =
          "Hold out the last FRACTION of the training set and report val_loss and val_accuracy"
              + " each epoch, as Keras does (0: none).")
  double validationSplit;

  @Option(
      names = "--shuffle-labels",
      description =
          "The memorisation experiment: permute the training labels once with --seed (test labels untouched).")
  boolean shuffleLabels;

  @Option(
      names = "--keep-prob",
      paramLabel = "P",
      description =
          "Dropout keep probability while training, for models with dropout (default: the model's,"
              + " 0.75 for Keras' Dropout(0.25); 1: no dropout).")
  Float keepProb;

  /** The zoo's names, for the help text. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return ModelZoo.names().iterator();
    }
  }

  @Override
  public Integer call() throws TfmnistException {
    if (list) {
      printList(Console.out(spec));
      return 0;
    }
    if (model == null && resume == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--model is required: one of "
              + String.join(", ", ModelZoo.names())
              + " (train --list counts their parameters)");
    }
    return super.call();
  }

  private static void printList(PrintStream out) {
    out.printf(Locale.ROOT, "%-10s %12s  %s%n", "model", "parameters", "layers");
    for (ModelZoo.Entry entry : ModelZoo.entries()) {
      out.printf(
          Locale.ROOT,
          "%-10s %,12d  %s%n",
          entry.name(),
          entry.parameterCount(),
          entry.description());
    }
  }

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    ModelZoo.Entry entry =
        ModelZoo.find(model)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "--model: unknown model '"
                            + model
                            + "'; expected one of "
                            + String.join(", ", ModelZoo.names())));
    if (keepProb != null && keepProb != 1f && entry.keepProb() == 1f) {
      throw new ParameterException(
          spec.commandLine(), "--keep-prob: model " + entry.name() + " has no dropout");
    }
    OptimizerKind kind = NamedOption.parse(spec, "--optimizer", optimizer, OptimizerKind::parse);
    return common(steps, epochs)
        .model(entry.name())
        .optimizer(kind)
        .learningRate(learningRateOr(kind.defaultLearningRate()))
        .keepProb(keepProb != null ? keepProb : entry.keepProb())
        .validationSplit(validationSplit)
        .shuffleLabels(shuffleLabels)
        .build();
  }

  @Override
  ModelBuilder builder(RunSettings settings) throws TfmnistException {
    ModelZoo.Entry entry =
        ModelZoo.find(settings.model())
            .orElseThrow(
                () ->
                    new TfmnistException(
                        "run.properties: unknown model '"
                            + settings.model()
                            + "'; expected one of "
                            + String.join(", ", ModelZoo.names())));
    return entry.builder(settings.optimizer().create(settings.learningRate()), settings.seed());
  }
}
