package org.tfmnist.cli;

import java.nio.file.Path;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.ClassifierModel;
import picocli.CommandLine.Option;

/**
 * {@code --signature} and {@code --output} of {@code evaluate} and {@code predict}: which signature
 * and which [-1,10] output of any MNIST classifier SavedModel to read.
 */
final class ClassifierOptions {
  @Option(
      names = "--signature",
      paramLabel = "NAME",
      description = "Signature to run (default: serving_default).")
  String signature;

  @Option(
      names = "--output",
      paramLabel = "NAME",
      description =
          "Float [-1,10] output to read (default: the only one, else the one named prob*, softmax*"
              + " or score*, else logit*). Read as logits (softmax applied) when its name contains"
              + " 'logit' or a row is not a probability distribution.")
  String output;

  /** The classifier in {@code dir} with these choices. */
  ClassifierModel load(Path dir) throws TfmnistException {
    return ClassifierModel.load(dir, signature, output);
  }
}
