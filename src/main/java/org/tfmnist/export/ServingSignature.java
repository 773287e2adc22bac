package org.tfmnist.export;

import org.tensorflow.Signature;
import org.tfmnist.model.ModelGraph;

/**
 * The SavedModel contract shared by every model. Tag {@code serve}; signature {@code
 * serving_default}: input {@code images} float [-1, 784] (0..1, white digit on black) to outputs
 * {@code probabilities} float [-1, 10] and {@code classes} int64 [-1]; signature {@code
 * predict_pixels}: input {@code pixels} uint8 [-1, 28, 28] to the same outputs.
 */
public final class ServingSignature {
  public static final String TAG = "serve";
  public static final String DEFAULT_KEY = "serving_default";
  public static final String PIXELS_KEY = "predict_pixels";
  public static final String INPUT_IMAGES = "images";
  public static final String INPUT_PIXELS = "pixels";
  public static final String OUTPUT_PROBABILITIES = "probabilities";
  public static final String OUTPUT_CLASSES = "classes";
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  private ServingSignature() {}

  /** {@code serving_default} over the model's float input. */
  public static Signature images(ModelGraph model) {
    return Signature.builder()
        .key(DEFAULT_KEY)
        .methodName(PREDICT_METHOD)
        .input(INPUT_IMAGES, model.images())
        .output(OUTPUT_PROBABILITIES, model.probabilities())
        .output(OUTPUT_CLASSES, model.classes())
        .build();
  }

  /** {@code predict_pixels} over the model's raw uint8 input. */
  public static Signature pixels(ModelGraph model) {
    return Signature.builder()
        .key(PIXELS_KEY)
        .methodName(PREDICT_METHOD)
        .input(INPUT_PIXELS, model.pixels())
        .output(OUTPUT_PROBABILITIES, model.pixelProbabilities())
        .output(OUTPUT_CLASSES, model.pixelClasses())
        .build();
  }
}
