package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.inference.Prediction;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * This project's own SavedModel contract ({@link ServingSignature}) in the generic predict path's
 * terms: the {@code images} input of {@code serving_default} and the predictions its {@code
 * probabilities} and {@code classes} outputs make. The draw-a-digit page and the tools that talk to
 * a served MNIST model use it; any other model is served without it.
 */
public final class MnistSignatures {
  /** The outputs a prediction needs, in the order {@link #predictions} reads them. */
  public static final List<String> OUTPUTS =
      List.of(ServingSignature.OUTPUT_PROBABILITIES, ServingSignature.OUTPUT_CLASSES);

  private MnistSignatures() {}

  /** {@code count} images of 784 floats as {@code serving_default}'s inputs. */
  public static Map<String, HostTensor> images(float[] images, int count) {
    float[] values =
        images.length == count * MnistShape.PIXELS
            ? images
            : java.util.Arrays.copyOf(images, count * MnistShape.PIXELS);
    return Map.of(
        ServingSignature.INPUT_IMAGES,
        HostTensor.floats(new long[] {count, MnistShape.PIXELS}, values));
  }

  /** One prediction per row of the {@code probabilities} and {@code classes} outputs. */
  public static Prediction[] predictions(Map<String, HostTensor> outputs) {
    HostTensor probabilities = outputs.get(ServingSignature.OUTPUT_PROBABILITIES);
    HostTensor classes = outputs.get(ServingSignature.OUTPUT_CLASSES);
    int n = (int) classes.rows();
    int k = n == 0 ? 0 : probabilities.size() / n;
    Prediction[] out = new Prediction[n];
    for (int i = 0; i < n; i++) {
      float[] p = new float[k];
      for (int c = 0; c < k; c++) {
        p[c] = (float) probabilities.doubleAt(i * k + c);
      }
      out[i] = new Prediction((int) classes.longAt(i), p);
    }
    return out;
  }
}
