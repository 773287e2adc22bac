package org.tfmnist.tutorials;

import org.tfmnist.cli.Main;

/**
 * the Keras model zoo (`train --model NAME`) as a plain Java main: {@code java -cp
 * target/tfmnist.jar org.tfmnist.tutorials.KerasModelZoo [options]} takes the same options as
 * {@code java -jar target/tfmnist.jar train} ({@code --help} lists them).
 */
public final class KerasModelZoo {
  private KerasModelZoo() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs it and returns the exit code (0 success, 1 a user-fixable error, 2 a bad option). */
  public static int run(String... args) {
    return Main.run(Tutorials.withCommand("train", args));
  }
}
