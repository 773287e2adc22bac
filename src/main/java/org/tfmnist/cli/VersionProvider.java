package org.tfmnist.cli;

import org.tensorflow.TensorFlow;
import picocli.CommandLine.IVersionProvider;

/** Prints tfmnist's version and the TensorFlow runtime it uses. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String own = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "tfmnist " + (own == null ? "(development)" : own), "TensorFlow " + TensorFlow.version()
    };
  }
}
