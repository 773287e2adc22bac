package org.tfmnist;

import java.nio.file.Path;

/** Where the shared test data lives: {@code ../shared/data} relative to the project root. */
public final class TestData {
  private TestData() {}

  public static Path sharedData() {
    return Path.of("..", "shared", "data");
  }

  /** The real MNIST files (test set only is guaranteed). */
  public static Path mnistDir() {
    return sharedData().resolve("mnist");
  }

  /** mnist-small: 8,000 training and 2,000 test images of real MNIST, standard file names. */
  public static Path mnistSmallDir() {
    return sharedData().resolve("mnist-small");
  }
}
