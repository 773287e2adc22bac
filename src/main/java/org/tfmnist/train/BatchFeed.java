package org.tfmnist.train;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tfmnist.model.MnistShape;

/**
 * Preallocated input tensors for batches of one size: the images [rows, features] and one-hot labels
 * [rows, 10] are refilled in place each step, so the hot loop allocates no native memory.
 */
final class BatchFeed implements AutoCloseable {
  final int rows;
  final float[] imageBuffer;
  final float[] labelBuffer;
  final TFloat32 images;
  final TFloat32 labels;
  private final FloatDataBuffer imageView;
  private final FloatDataBuffer labelView;

  BatchFeed(int rows, int features) {
    this.rows = rows;
    imageBuffer = new float[rows * features];
    labelBuffer = new float[rows * MnistShape.CLASSES];
    imageView = DataBuffers.of(imageBuffer, true, false);
    labelView = DataBuffers.of(labelBuffer, true, false);
    images = TFloat32.tensorOf(Shape.of(rows, features));
    try {
      labels = TFloat32.tensorOf(Shape.of(rows, MnistShape.CLASSES));
    } catch (RuntimeException e) {
      images.close();
      throw e;
    }
  }

  /** Copies the Java buffers into the tensors; call after filling the buffers. */
  void upload() {
    images.copyFrom(imageView);
    labels.copyFrom(labelView);
  }

  @Override
  public void close() {
    images.close();
    labels.close();
  }
}
