package org.tfmnist.tutorials;

import org.tfmnist.cli.Main;

/**
 * the digits write-up (softmax regression on scikit-learn's 8x8 digits) as a plain Java main:
 * {@code java -cp target/tfmnist.jar org.tfmnist.tutorials.SklearnDigits [options]} takes the same
 * options as {@code java -jar target/tfmnist.jar digits} ({@code --help} lists them).
 */
public final class SklearnDigits {
  private SklearnDigits() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs it and returns the exit code (0 success, 1 a user-fixable error, 2 a bad option). */
  public static int run(String... args) {
    return Main.run(Tutorials.withCommand("digits", args));
  }
}
