package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.ImagePreprocessor;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.inference.WriteupPreparation;

/**
 * 002, own photos: a restored model classifies the reader's photos, each prepared with the
 * write-up's recipe (greyscale, thumbnail to 28, {@code 1 - x/255}, {@code 2x - 0.5} clipped); the
 * MNIST-style preparation beside it. The model is {@code --model DIR} (a SavedModel), or else the
 * Beginners model trained as 001 writes it.
 */
final class PhotosWriteup implements Protocol {
  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    List<Path> images = r.inputs().images();
    if (images.isEmpty()) {
      throw new TfmnistException(
          "reproduce 002: the write-up's photos are not in the repository; give yours:"
              + " reproduce 002 IMAGE...");
    }
    Path model = r.inputs().model();
    String modelData;
    if (model == null) {
      r.note("002: no --model given: the Beginners model, trained as 001 writes it");
      int validation = BeginnersWriteup.validationSize(r);
      Path dir =
          r.train(
              "002-beginners",
              "beginners",
              "--data-dir",
              r.data().dir().toString(),
              "--loss",
              "sum",
              "--learning-rate",
              "0.01",
              "--validation-size",
              Integer.toString(validation));
      model = dir.resolve("saved_model");
      modelData = "Beginners model on " + r.data().describe();
    } else {
      modelData = "SavedModel " + model;
    }
    List<Figure> figures = new ArrayList<>();
    try (Predictor predictor = Predictor.load(model)) {
      for (Path image : images) {
        figures.add(
            row(image, "write-up recipe", predictor, WriteupPreparation.load(image), model));
        figures.add(row(image, "MNIST-style", predictor, ImagePreprocessor.load(image), model));
      }
    }
    r.note("002: predictions by " + modelData);
    return figures;
  }

  private static Figure row(Path image, String recipe, Predictor p, float[] x, Path model) {
    Prediction prediction = p.predict(x, 1)[0];
    return new Figure(
        image.getFileName() + ", " + recipe + ": digit (probability)",
        "n/a",
        "the write-up's photos",
        String.format(
            Locale.ROOT,
            "%d (%.4f)",
            prediction.digit(),
            prediction.probabilities()[prediction.digit()]),
        "your photo " + image,
        model.toString());
  }
}
