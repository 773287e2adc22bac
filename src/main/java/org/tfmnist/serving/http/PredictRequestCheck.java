package org.tfmnist.serving.http;

import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;

/**
 * The checks of a parsed predict body as a whole: a signature the models have, the input named as
 * that signature names it, and the image layout it takes (784 floats for {@code serving_default},
 * 28 rows of 28 integers 0..255 for {@code predict_pixels}).
 */
final class PredictRequestCheck {
  private PredictRequestCheck() {}

  /** The request, or a 400 naming what does not fit. */
  static PredictRequest check(
      String signature, String batchKey, String inputName, ImageBuffer images) throws ApiException {
    String sig =
        signature == null || signature.isEmpty() ? ServingSignature.DEFAULT_KEY : signature;
    boolean pixels = sig.equals(ServingSignature.PIXELS_KEY);
    if (!pixels && !sig.equals(ServingSignature.DEFAULT_KEY)) {
      throw new ApiException(
          400,
          "Serving signature name: \"" + JsonText.shorten(sig) + "\" not found in signature def");
    }
    String input = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    if (inputName != null && !inputName.equals(input)) {
      throw new ApiException(
          400,
          "signature \""
              + sig
              + "\" has the input \""
              + input
              + "\", not \""
              + JsonText.shorten(inputName)
              + "\"");
    }
    if (pixels && !images.nested()) {
      throw new ApiException(
          400,
          batchKey
              + "[0]: expected 28 rows of 28 integers 0..255 for predict_pixels, got a list of 784");
    } else if (pixels) {
      images.checkPixels(batchKey);
    } else if (images.nested()) {
      throw new ApiException(
          400,
          batchKey
              + "[0]: expected 784 numbers (a 28x28 image, flattened), got a list of 28 rows"
              + " (rows of 28 integers are for \"signature_name\": \"predict_pixels\")");
    }
    return new PredictRequest(sig, batchKey.equals("instances"), images.values(), images.count());
  }
}
