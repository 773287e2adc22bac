package org.tfmnist.data;

/**
 * The content of an IDX image file: {@code count} images of {@code rows x cols} unsigned byte
 * pixels, row-major, image after image.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
  public IdxImages {
    if ((long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " pixels, expected " + count + " x " + rows + " x " + cols);
    }
  }

  /** Pixels per image. */
  public int features() {
    return rows * cols;
  }
}
