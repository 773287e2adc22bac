package org.tfmnist.serving;

import org.tfmnist.export.ServingSignature;
import org.tfmnist.model.MnistShape;

/**
 * A parsed TF Serving predict body: the signature asked for, whether it came in row ({@code
 * instances}) or columnar ({@code inputs}) format, and {@code count} images as floats laid out row
 * after row (784 per image; for {@code predict_pixels}, integers 0..255).
 */
public record PredictRequest(String signature, boolean rows, float[] values, int count) {

  public boolean pixels() {
    return signature.equals(ServingSignature.PIXELS_KEY);
  }

  /** The values as uint8 pixels (checked 0..255 by the parser). */
  public byte[] pixelBytes() {
    byte[] out = new byte[count * MnistShape.PIXELS];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (int) values[i];
    }
    return out;
  }
}
