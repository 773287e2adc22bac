package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Photos;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.cli.CliRun;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/**
 * The acceptance test: the tutorial CNN, trained on mnist-small, reads 200 test digits
 * rendered as users' photos (either polarity, 200x200, shifted, rotated, noisy, PNG and JPEG)
 * within 2 points of its accuracy on the same 200 clean images; bad files fail one by one.
 */
@Tag("data")
public class PredictPhotosTest {
  static final int PHOTOS = 200;
  public static final long STEPS = 1200;
  @TempDir static Path tmp;
  static Path savedModel;
  static Dataset test;

  @BeforeAll
  static void trainCnn() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    long began = System.nanoTime();
    TrainedModels.Trained trained = TrainedModels.experts(STEPS, tmp.resolve("saved_model"));
    savedModel = trained.savedModel();
    System.out.printf(
        "cnn: %d steps in %.0f s, test accuracy %.4f%n",
        STEPS, (System.nanoTime() - began) / 1e9, trained.test().accuracy());
  }

  @Test
  void photosAreReadWithin2PointsOfTheCleanImages() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Random random = new Random(42);
    float[] batch = new float[PHOTOS * 784];
    for (int i = 0; i < PHOTOS; i++) {
      Path file = Photos.render(test.images(), i, random, photos);
      System.arraycopy(ImagePreprocessor.load(file), 0, batch, i * 784, 784);
    }
    try (Predictor predictor = Predictor.load(savedModel)) {
      int clean = correct(predictor.predict(Arrays.copyOf(test.images(), PHOTOS * 784), PHOTOS));
      int fromPhotos = correct(predictor.predict(batch, PHOTOS));
      System.out.printf("200 clean images: %d correct; as photos: %d correct%n", clean, fromPhotos);
      assertTrue(clean >= 180, "the CNN trained: " + clean + " of 200");
      assertTrue(
          fromPhotos >= clean - 4, "photos " + fromPhotos + " vs clean " + clean + " of 200");
    }
  }

  @Test
  void badFilesAreReportedOneByOneAndTheOthersStillPredicted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    Random random = new Random(7);
    Path good1 = Photos.render(test.images(), 0, random, dir);
    Path good2 = Photos.render(test.images(), 3, random, dir);
    Path empty = Files.createFile(dir.resolve("empty.png"));
    Path text = Files.writeString(dir.resolve("notes.png"), "not a picture\n");
    byte[] png = Files.readAllBytes(good1);
    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 3));

    CliRun run =
        CliRun.of(
            "predict",
            "--model",
            savedModel.toString(),
            good1.toString(),
            empty.toString(),
            text.toString(),
            truncated.toString(),
            good2.toString());

    assertEquals(1, run.exitCode(), run.out() + run.err());
    List<String> out = run.out().lines().toList();
    assertEquals(2, out.size(), run.out());
    assertTrue(out.get(0).startsWith(good1 + ": " + test.labels()[0] + " ("), out.get(0));
    assertTrue(out.get(1).startsWith(good2 + ": " + test.labels()[3] + " ("), out.get(1));
    assertTrue(out.get(0).matches(".*\\[0:\\d\\.\\d{4}( \\d:\\d\\.\\d{4}){9}\\]"), out.get(0));
    List<String> err = run.err().lines().toList();
    assertEquals(
        List.of(
            "error: " + empty + ": empty file",
            "error: "
                + text
                + ": not an image, or an unsupported format (expected PNG, JPEG, GIF or BMP)"),
        err.subList(0, 2),
        run.err());
    assertEquals(3, err.size(), run.err());
    assertTrue(
        err.get(2).startsWith("error: " + truncated + ": cannot decode PNG image"), err.get(2));

    CliRun json =
        CliRun.of(
            "predict",
            "--json",
            "--model",
            savedModel.toString(),
            good1.toString(),
            empty.toString());
    assertEquals(1, json.exitCode());
    JsonArray results = JsonParser.parseString(json.out()).getAsJsonArray();
    assertEquals(2, results.size());
    JsonObject first = results.get(0).getAsJsonObject();
    assertEquals(good1.toString(), first.get("file").getAsString());
    assertEquals(test.labels()[0], first.get("digit").getAsInt());
    assertEquals(10, first.getAsJsonArray("probabilities").size());
    double sum = 0;
    for (var p : first.getAsJsonArray("probabilities")) {
      sum += p.getAsDouble();
    }
    assertEquals(1.0, sum, 1e-4);
    assertEquals(
        empty + ": empty file", results.get(1).getAsJsonObject().get("error").getAsString());

    CliRun allGood = CliRun.of("predict", "--model", savedModel.toString(), good1.toString());
    assertEquals(0, allGood.exitCode(), allGood.err());
  }

  private int correct(Prediction[] predictions) {
    int correct = 0;
    for (int i = 0; i < predictions.length; i++) {
      if (predictions[i].digit() == test.labels()[i]) {
        correct++;
      }
    }
    return correct;
  }
}
