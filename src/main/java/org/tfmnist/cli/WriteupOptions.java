package org.tfmnist.cli;

import org.tfmnist.run.RunVariant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --loss} and {@code --validation-size} for {@code beginners} and {@code experts}: the
 * write-up's summed loss and TF's {@code input_data} validation set, beside the tutorials'
 * defaults.
 */
final class WriteupOptions {
  @Option(
      names = "--loss",
      paramLabel = "FORM",
      defaultValue = "mean",
      description =
          "mean: the batch's mean cross-entropy (the tutorial's tf.reduce_mean); sum: summed over the"
              + " batch, as the write-up's -tf.reduce_sum(y_ * tf.log(y)) (the same step as mean at"
              + " BATCH times the learning rate).")
  String loss = "mean";

  @Option(
      names = "--validation-size",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Hold out the first N training images for validation, as TF's input_data does (5000 of"
              + " MNIST's 60,000), and report val_loss and val_accuracy each epoch (0: none).")
  int validationSize;

  /** The variant these options name; a bad value is a usage error of {@code spec}'s command. */
  RunVariant variant(CommandSpec spec) {
    try {
      return RunVariant.of(loss, "trained", validationSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
