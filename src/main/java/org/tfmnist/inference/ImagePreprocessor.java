package org.tfmnist.inference;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.tfmnist.TfmnistException;

/**
 * Turns a user's picture of a digit (PNG, JPEG, GIF or BMP; any size; colour or grey, with or
 * without alpha; dark ink on light paper or light on dark) into an MNIST-style input: 784 floats in
 * 0..1, a white digit on black, scaled into a 20x20 box keeping its aspect ratio and centred by
 * centre of mass in 28x28, as MNIST itself was made.
 *
 * <p>The stages, one class each:
 *
 * <ol>
 *   <li>{@link GreyLevels}: luma, alpha composited on white; then a light box blur against noise on
 *       large pictures ({@link PixelFilters#boxBlur});
 *   <li>{@link InkMap}: polarity from the border's median; background level and noise from the
 *       border, subtracted;
 *   <li>{@link DigitCrop}: Otsu's threshold on what is left finds the digit's bounding box, cut out
 *       and scaled to 0..1;
 *   <li>{@link MnistFrame}: area-averaged downscale (bilinear when enlarging) into 20x20; centre of
 *       mass to the middle of 28x28.
 * </ol>
 */
public final class ImagePreprocessor {
  private ImagePreprocessor() {}

  /**
   * Reads ({@link ImageDecoder}, within its bounds) and preprocesses {@code file}; a one-line error
   * names the file.
   */
  public static float[] load(Path file) throws TfmnistException {
    return preprocess(ImageDecoder.read(file), file.toString());
  }

  /** Preprocesses a decoded picture; {@code name} is used in the error for a blank picture. */
  public static float[] preprocess(BufferedImage image, String name) throws TfmnistException {
    int w = image.getWidth();
    int h = image.getHeight();
    // Sensor/paper noise: a box blur of about 0.5% of the picture (none for small pictures).
    double[] grey =
        PixelFilters.boxBlur(GreyLevels.of(image), w, h, (int) Math.round(Math.min(w, h) / 200.0));
    InkMap ink = InkMap.of(grey, w, h, name);
    DigitCrop crop = DigitCrop.of(ink, name);
    return MnistFrame.place(crop, name);
  }

  /** The error for a picture in which no stage finds a digit. */
  static TfmnistException blank(String name) {
    return new TfmnistException(name + ": no digit found (blank image)");
  }
}
