package org.tfmnist.serving.http;

import java.util.Arrays;
import java.util.function.Supplier;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;

/**
 * The images of a predict request as they are parsed: one float buffer that grows by doubling up to
 * {@code maxImages} images, and the shape checks of each image (784 numbers, or 28 rows of 28, the
 * same layout for every image). {@code where} arguments name the place for error messages; they are
 * asked only when there is an error.
 */
final class ImageBuffer {
  private static final int PIXELS = MnistShape.PIXELS;
  private static final int ROWS = MnistShape.ROWS;
  private static final int COLS = MnistShape.COLS;

  private final int maxImages;
  private final BodyBudget.Reservation memory;
  private float[] values;
  private int count; // complete images
  private int filled; // numbers of the current image so far
  private int rows; // rows of the current image (nested layout), -1 flat, 0 not known yet
  private int inRow; // numbers in the current row
  private boolean nested; // the layout of the images so far
  private boolean layoutKnown;

  /** A buffer with no bound on memory but {@code maxImages}. */
  ImageBuffer(int maxImages) {
    this.maxImages = maxImages;
    this.memory = new BodyBudget(Long.MAX_VALUE).open();
    this.values = new float[PIXELS];
  }

  /** {@code memory} is charged for every float array allocated (429 past the server's bound). */
  ImageBuffer(int maxImages, BodyBudget.Reservation memory) throws ApiException {
    this.maxImages = maxImages;
    this.memory = memory;
    memory.grow(4L * PIXELS);
    this.values = new float[PIXELS];
  }

  int count() {
    return count;
  }

  /** Whether the images are 28 rows of 28 (else 784 numbers). */
  boolean nested() {
    return nested;
  }

  /** The images so far, 784 floats each. */
  float[] values() throws ApiException {
    if (values.length == count * PIXELS) {
      return values;
    }
    memory.grow(4L * count * PIXELS);
    return Arrays.copyOf(values, count * PIXELS);
  }

  void startImage() throws ApiException {
    if (count >= maxImages) {
      throw new ApiException(
          413, "more than " + maxImages + " images in one request; send at most " + maxImages);
    }
    filled = 0;
    rows = 0;
    long needed = (long) (count + 1) * PIXELS;
    if (needed > values.length) {
      int size = (int) Math.max(needed, Math.min(2L * values.length, (long) maxImages * PIXELS));
      memory.grow(4L * (size - values.length)); // the old array is garbage once copied
      values = Arrays.copyOf(values, size);
    }
  }

  /** Whether a list here starts a row (the image is empty or its rows so far are complete). */
  boolean atRowStart() {
    return rows >= 0 && filled == rows * COLS;
  }

  /** Whether the image is made of rows. */
  boolean inRows() {
    return rows > 0;
  }

  /** The index of the current row, or of the next number of a flat image. */
  int position() {
    return rows > 0 ? rows - 1 : filled;
  }

  int inRow() {
    return inRow;
  }

  void startRow(Supplier<String> where) throws ApiException {
    if (rows == ROWS) {
      throw new ApiException(
          400, where.get() + ": expected 28 rows of 28 integers 0..255, got more rows");
    }
    rows++;
    inRow = 0;
  }

  void endRow(Supplier<String> at) throws ApiException {
    if (inRow != COLS) {
      throw new ApiException(
          400, at.get() + ": expected 28 integers 0..255, got a list of " + inRow);
    }
  }

  void addToRow(float v, Supplier<String> at) throws ApiException {
    if (inRow == COLS) {
      throw new ApiException(400, at.get() + ": expected 28 integers 0..255, got more");
    }
    values[count * PIXELS + filled++] = v;
    inRow++;
  }

  void addFlat(float v, Supplier<String> where) throws ApiException {
    rows = -1;
    if (filled == PIXELS) {
      throw new ApiException(
          400, where.get() + ": expected 784 numbers (a 28x28 image, flattened), got more");
    }
    values[count * PIXELS + filled++] = v;
  }

  void endImage(Supplier<String> where) throws ApiException {
    boolean rowsLayout = rows > 0;
    if (rowsLayout ? rows != ROWS : filled != PIXELS) {
      String got = rowsLayout ? rows + " rows" : "a list of " + filled;
      throw new ApiException(
          400,
          where.get()
              + ": expected 784 numbers (a 28x28 image, flattened)"
              + " or 28 rows of 28 integers 0..255, got "
              + got);
    }
    if (layoutKnown && rowsLayout != nested) {
      throw new ApiException(
          400,
          where.get() + ": every image must have the same layout (784 numbers, or 28 rows of 28)");
    }
    nested = rowsLayout;
    layoutKnown = true;
    count++;
  }

  /** For predict_pixels: every value an integer 0..255, else a 400 naming the first that is not. */
  void checkPixels(String batchKey) throws ApiException {
    for (int i = 0; i < count * PIXELS; i++) {
      float v = values[i];
      if (v != Math.rint(v) || v < 0 || v > 255) {
        int at = i % PIXELS;
        throw new ApiException(
            400,
            batchKey
                + "["
                + i / PIXELS
                + "]["
                + at / COLS
                + "]["
                + at % COLS
                + "]: expected an integer 0..255, got "
                + v);
      }
    }
  }
}
