package org.tfmnist.run;

import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.LossTrace;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.listeners.Checkpoints;

/**
 * Traces one example's loss through a trained run: rebuilds the model's graph with a {@link
 * LossTrace}, restores the run's latest checkpoint and fetches every traced quantity for that
 * example from the graph.
 */
public final class ExampleTracer {
  private ExampleTracer() {}

  /**
   * What the graph computed for one example: per class (10 values each) the logits, softmax,
   * log-softmax, one-hot label and cross-entropy terms; the sum of the terms; and the model's own
   * {@code cross_entropy}.
   */
  public record Trace(
      int index,
      int label,
      float[] logits,
      float[] softmax,
      float[] logSoftmax,
      float[] oneHot,
      float[] terms,
      float termSum,
      float loss) {}

  /**
   * Traces example {@code index} of {@code data} with the weights of the latest checkpoint of the
   * run in {@code runDir}.
   */
  public static Trace trace(ModelBuilder builder, Path runDir, Dataset data, int index)
      throws TfmnistException {
    Path checkpoint =
        Checkpoints.latest(runDir)
            .orElseThrow(
                () -> new TfmnistException(runDir + ": no checkpoint to trace an example with"));
    return traceAt(builder, checkpoint, data, index);
  }

  /** Traces example {@code index} of {@code data} with the weights of checkpoint {@code prefix}. */
  public static Trace traceAt(ModelBuilder builder, Path checkpoint, Dataset data, int index)
      throws TfmnistException {
    if (index < 0 || index >= data.size()) {
      throw new TfmnistException(
          "--explain: index " + index + " is outside the data set (0.." + (data.size() - 1) + ")");
    }
    float[] image = new float[data.features()];
    float[] oneHot = new float[Dataset.NUM_CLASSES];
    data.copyRow(index, image, oneHot, 0);
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph);
      LossTrace trace = LossTrace.build(model);
      try (Session session = SessionOptions.standard().open(graph);
          TFloat32 x =
              TFloat32.tensorOf(Shape.of(1, data.features()), DataBuffers.of(image, true, false));
          TFloat32 y =
              TFloat32.tensorOf(
                  Shape.of(1, Dataset.NUM_CLASSES), DataBuffers.of(oneHot, true, false))) {
        Checkpoints.restore(session, model, checkpoint);
        Session.Runner runner = session.runner().feed(model.images(), x).feed(model.labels(), y);
        for (var fetch :
            List.of(
                model.logits(),
                model.probabilities(),
                trace.logSoftmax(),
                trace.terms(),
                trace.termSum(),
                model.loss())) {
          runner.fetch(fetch);
        }
        try (Result result = runner.run()) {
          return new Trace(
              index,
              data.labels()[index],
              row(result, 0),
              row(result, 1),
              row(result, 2),
              oneHot,
              row(result, 3),
              scalar(result, 4),
              scalar(result, 5));
        }
      }
    }
  }

  private static float[] row(Result result, int i) {
    TFloat32 t = (TFloat32) result.get(i);
    float[] values = new float[(int) t.shape().get(1)];
    for (int c = 0; c < values.length; c++) {
      values[c] = t.getFloat(0, c);
    }
    return values;
  }

  private static float scalar(Result result, int i) {
    return ((TFloat32) result.get(i)).getFloat();
  }
}
