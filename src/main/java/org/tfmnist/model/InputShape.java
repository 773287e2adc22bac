package org.tfmnist.model;

/**
 * The images a model takes: {@code rows} x {@code cols} greyscale pixels, fed flattened as {@code
 * features} floats 0..1. MNIST and Fashion-MNIST are 28x28; scikit-learn's digits 8x8.
 */
public record InputShape(int rows, int cols) {
  public static final InputShape MNIST = new InputShape(MnistShape.ROWS, MnistShape.COLS);
  public static final InputShape DIGITS = new InputShape(8, 8);

  public InputShape {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
    }
  }

  /** Pixels per image. */
  public int features() {
    return rows * cols;
  }

  /** Whether these are MNIST-sized images (the serving contract's 28x28). */
  public boolean isMnist() {
    return equals(MNIST);
  }
}
