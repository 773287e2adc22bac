package org.tfmnist.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.ClassifierModel;
import org.tfmnist.inference.ImagePreprocessor;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.WriteupPreparation;
import org.tfmnist.model.MnistShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Classifies the digit in each picture with a SavedModel; bad files are reported and skipped. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Predicts the digit in each image (PNG, JPEG, GIF, BMP; any size; dark on light or light on dark).",
      "A file that cannot be read is reported on stderr and the others are still predicted; exit code 1 if any failed."
    })
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "SavedModel directory (e.g. <run-dir>/saved_model), or any classifier with a float"
              + " [-1,784], [-1,28,28] or [-1,28,28,1] input and a [-1,10] output.")
  Path model;

  @Option(
      names = "--json",
      description =
          "Print a JSON array, one object per image: file, digit, probability, probabilities (or error).")
  boolean json;

  @Option(
      names = "--preprocess",
      paramLabel = "RECIPE",
      defaultValue = "mnist",
      description =
          "mnist: find the digit, scale it into 20x20 and centre it by mass in 28x28, as MNIST was"
              + " made; writeup: the own-photos write-up's recipe (greyscale, thumbnail to 28,"
              + " 1 - x/255, then 2x - 0.5 clipped to [0, 1]; dark ink on light paper).")
  String preprocess = "mnist";

  @Mixin ClassifierOptions classifier = new ClassifierOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
  List<Path> images;

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = Console.out(spec);
    PrintStream err = Console.err(spec);
    boolean writeup = preprocess.trim().toLowerCase(Locale.ROOT).equals("writeup");
    if (!writeup && !preprocess.trim().equalsIgnoreCase("mnist")) {
      throw new ParameterException(
          spec.commandLine(), "--preprocess must be mnist or writeup, got " + preprocess);
    }
    try (ClassifierModel predictor = classifier.load(model)) {
      float[] batch = new float[images.size() * MnistShape.PIXELS];
      String[] errors = new String[images.size()];
      int[] row = new int[images.size()];
      int good = 0;
      for (int i = 0; i < images.size(); i++) {
        try {
          float[] x =
              writeup
                  ? WriteupPreparation.load(images.get(i))
                  : ImagePreprocessor.load(images.get(i));
          System.arraycopy(x, 0, batch, good * MnistShape.PIXELS, MnistShape.PIXELS);
          row[i] = good++;
        } catch (TfmnistException e) {
          errors[i] = e.getMessage();
          err.println("error: " + e.getMessage());
          if (debug.enabled) {
            e.printStackTrace(err);
          }
        }
      }
      Prediction[] predictions = predictor.predict(batch, good).predictions();
      if (json) {
        printJson(out, predictions, errors, row);
      } else {
        for (int i = 0; i < images.size(); i++) {
          if (errors[i] == null) {
            out.println(text(images.get(i), predictions[row[i]]));
          }
        }
      }
      return good == images.size() ? 0 : ErrorHandler.USER_ERROR;
    }
  }

  static String text(Path file, Prediction p) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %d (%.4f)  [", file, p.digit(), p.probability()));
    for (int c = 0; c < p.probabilities().length; c++) {
      sb.append(
          String.format(Locale.ROOT, c == 0 ? "%d:%.4f" : " %d:%.4f", c, p.probabilities()[c]));
    }
    return sb.append(']').toString();
  }

  private void printJson(PrintStream out, Prediction[] predictions, String[] errors, int[] row) {
    Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    List<String> objects = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      JsonObject o = new JsonObject();
      o.addProperty("file", images.get(i).toString());
      if (errors[i] != null) {
        o.addProperty("error", errors[i]);
      } else {
        Prediction p = predictions[row[i]];
        o.addProperty("digit", p.digit());
        o.addProperty("probability", p.probability());
        JsonArray all = new JsonArray();
        for (float f : p.probabilities()) {
          all.add(f);
        }
        o.add("probabilities", all);
      }
      objects.add(gson.toJson(o));
    }
    out.println(objects.isEmpty() ? "[]" : "[\n  " + String.join(",\n  ", objects) + "\n]");
  }
}
