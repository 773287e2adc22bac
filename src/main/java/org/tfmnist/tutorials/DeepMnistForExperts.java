package org.tfmnist.tutorials;

import org.tfmnist.cli.Main;

/**
 * "Deep MNIST for Experts" (the two-layer CNN) as a plain Java main: {@code java -cp
 * target/tfmnist.jar org.tfmnist.tutorials.DeepMnistForExperts [options]} takes the same options as
 * {@code java -jar target/tfmnist.jar experts} ({@code --help} lists them).
 */
public final class DeepMnistForExperts {
  private DeepMnistForExperts() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs it and returns the exit code (0 success, 1 a user-fixable error, 2 a bad option). */
  public static int run(String... args) {
    return Main.run(Tutorials.withCommand("experts", args));
  }
}
