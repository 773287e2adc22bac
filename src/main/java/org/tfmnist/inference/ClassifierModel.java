package org.tfmnist.inference;

import java.nio.file.Path;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.model.MnistShape;
import org.tfmnist.runtime.SessionOptions;

/**
 * Any SavedModel that classifies MNIST images ({@link ClassifierSignature}): this project's own
 * export or, say, a Keras model saved from Python. Images are fed as 784 floats in 0..1 (white
 * digit on black, as MNIST's test set reads here) in the input's shape, in chunks of {@link
 * Predictor#CHUNK}. The chosen output is read as logits, and turned into probabilities by a
 * softmax, when its name contains {@code logit} or when any of its rows is not a probability
 * distribution (a value outside [0, 1], or a sum more than 0.001 from 1); otherwise as
 * probabilities. The digit is the output's argmax either way. Not thread-safe.
 */
public final class ClassifierModel implements AutoCloseable {
  /** Predictions, and whether the output was read as logits. */
  public record Classification(Prediction[] predictions, boolean fromLogits) {}

  private final SavedModelBundle bundle;
  private final ClassifierSignature signature;

  private ClassifierModel(SavedModelBundle bundle, ClassifierSignature signature) {
    this.bundle = bundle;
    this.signature = signature;
  }

  /**
   * Loads the SavedModel in {@code dir} and picks its classifier: signature {@code signature}
   * ({@code serving_default} when null), output {@code output} (by shape and name when null).
   */
  public static ClassifierModel load(Path dir, String signature, String output)
      throws TfmnistException {
    SavedModelBundle bundle = SavedModels.open(dir, SessionOptions.standard());
    try {
      ClassifierSignature chosen =
          ClassifierSignature.resolve(
              dir, SignatureSpec.readAll(bundle.metaGraphDef()), signature, output);
      return new ClassifierModel(bundle, chosen);
    } catch (TfmnistException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** The signature, input and output in use. */
  public ClassifierSignature signature() {
    return signature;
  }

  /** Classifies {@code count} images of 784 floats laid out row after row in {@code images}. */
  public Classification predict(float[] images, int count) {
    if (count < 0 || images.length < (long) count * MnistShape.PIXELS) {
      throw new IllegalArgumentException(
          count + " images need " + (long) count * MnistShape.PIXELS + " values");
    }
    float[] scores = new float[count * MnistShape.CLASSES];
    FloatDataBuffer all = DataBuffers.of(images, true, false);
    for (int start = 0; start < count; start += Predictor.CHUNK) {
      int n = Math.min(Predictor.CHUNK, count - start);
      FloatDataBuffer rows =
          all.slice((long) start * MnistShape.PIXELS, (long) n * MnistShape.PIXELS);
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(signature.feedShape(n)), rows);
          Result result =
              bundle
                  .session()
                  .runner()
                  .feed(signature.input().tensorName(), input)
                  .fetch(signature.output().tensorName())
                  .run()) {
        TFloat32 out = (TFloat32) result.get(0);
        out.copyTo(
            DataBuffers.of(scores, false, false)
                .slice((long) start * MnistShape.CLASSES, (long) n * MnistShape.CLASSES));
      }
    }
    boolean logits = signature.logitsByName() || !ClassScores.allDistributions(scores);
    Prediction[] out = new Prediction[count];
    for (int i = 0; i < count; i++) {
      float[] row = new float[MnistShape.CLASSES];
      System.arraycopy(scores, i * MnistShape.CLASSES, row, 0, MnistShape.CLASSES);
      out[i] = new Prediction(ClassScores.argmax(row), logits ? ClassScores.softmax(row) : row);
    }
    return new Classification(out, logits);
  }

  @Override
  public void close() {
    bundle.close();
  }
}
