package org.tfmnist.model;

/** The shape of an MNIST example as the models see it. */
public final class MnistShape {
  public static final int ROWS = 28;
  public static final int COLS = 28;
  public static final int PIXELS = ROWS * COLS;
  public static final int CLASSES = 10;

  private MnistShape() {}
}
