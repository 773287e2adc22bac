package org.tfmnist.model;

import java.util.Arrays;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.data.Dataset;

/** Test helper: runs single training steps on consecutive batches and returns the loss. */
final class ModelSteps {
  private final Session session;
  private final ModelGraph model;
  private final Dataset data;
  private final int batch;

  ModelSteps(Session session, ModelGraph model, Dataset data, int batch) {
    this.session = session;
    this.model = model;
    this.data = data;
    this.batch = batch;
  }

  /** Trains on batch {@code index} (wrapping around) and returns that step's loss. */
  double trainStep(int index) {
    float[] images = new float[batch * 784];
    float[] labels = new float[batch * 10];
    Arrays.fill(labels, 0f);
    for (int i = 0; i < batch; i++) {
      int row = (index * batch + i) % data.size();
      data.copyImage(row, images, i * 784);
      labels[i * 10 + data.labels()[row]] = 1f;
    }
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch, 784), DataBuffers.of(images, true, false));
        TFloat32 y = TFloat32.tensorOf(Shape.of(batch, 10), DataBuffers.of(labels, true, false));
        Result result =
            session
                .runner()
                .feed(model.images(), x)
                .feed(model.labels(), y)
                .addTarget(model.trainOp())
                .fetch(model.loss())
                .run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
  }
}
