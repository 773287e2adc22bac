package org.tfmnist.train;

import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.Batches;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.MnistShape;
import org.tfmnist.model.ModelGraph;

/**
 * Preallocated input tensors for batches of one size: the images [rows, features] and one-hot
 * labels [rows, 10] are refilled in place each step, so the hot loop allocates no native memory.
 */
public final class BatchFeed implements AutoCloseable {
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

  /**
   * A feed holding the first {@code batch} training examples of {@code data}, uploaded: the one
   * fixed batch the benchmarks' bare loops and the step profile train on.
   */
  public static BatchFeed firstTrainingBatch(DataSplits data, int batch) {
    BatchFeed feed = new BatchFeed(batch, data.train().features());
    try {
      new Batches(data.train(), batch, 1).fill(0, 0, feed.imageBuffer, feed.labelBuffer);
      feed.upload();
      return feed;
    } catch (RuntimeException e) {
      feed.close();
      throw e;
    }
  }

  /**
   * One training step of {@code model} on this feed (dropout's keep probability fed where it has
   * dropout).
   */
  public Session.Runner trainingStep(Session session, ModelGraph model, TFloat32 keepProb) {
    Session.Runner runner =
        session
            .runner()
            .feed(model.images(), images)
            .feed(model.labels(), labels)
            .addTarget(model.trainOp());
    if (model.usesDropout()) {
      runner.feed(model.keepProb(), keepProb);
    }
    return runner;
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
