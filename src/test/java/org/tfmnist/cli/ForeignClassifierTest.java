package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Pngs;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.inference.ImagePreprocessor;
import org.tfmnist.testdata.ForeignModels;
import org.tfmnist.testdata.TensorValue;

/**
 * {@code evaluate} and {@code predict} take any MNIST classifier SavedModel (built in Java by
 * {@link ForeignModels}, arbitrary weights): the confusion matrix on the full MNIST test set is the
 * one a direct session run of the same model gives, for a Keras-style [-1,28,28,1] model with
 * probabilities and a [-1,784] one with logits under an unrevealing name.
 */
@Tag("data")
class ForeignClassifierTest {
  @TempDir static Path tmp;

  private static Dataset test;

  @BeforeAll
  static void loadTestSet() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistDir());
  }

  /** The confusion matrix, [true][predicted], from a direct run's {@code digit} output. */
  private static long[][] directMatrix(Path model, String input, long[] shape) {
    long[] dims = shape.clone();
    dims[0] = test.size();
    long[] digits =
        ForeignModels.directRun(
                model,
                ForeignModels.DEFAULT_SIGNATURE,
                Map.of(input, TensorValue.floats(dims, test.images())))
            .get("digit")
            .longs();
    long[][] m = new long[10][10];
    for (int i = 0; i < digits.length; i++) {
      m[test.labels()[i]][(int) digits[i]]++;
    }
    return m;
  }

  /** The confusion matrix {@code evaluate} printed. */
  private static long[][] printedMatrix(String out) {
    String[] lines = out.substring(out.indexOf("true\\pred")).split("\n");
    long[][] m = new long[10][10];
    for (int r = 0; r < 10; r++) {
      String[] cells = lines[r + 1].trim().split("\\s+");
      assertEquals(Integer.toString(r), cells[0]);
      for (int c = 0; c < 10; c++) {
        m[r][c] = Long.parseLong(cells[c + 1]);
      }
    }
    return m;
  }

  private static void assertEvaluates(Path model, String input, long[] shape, String line) {
    CliRun run =
        CliRun.of("evaluate", "--model", model.toString(), "--data-dir", TestData.mnistDir() + "");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains(line + "\n"), run.out());
    long[][] printed = printedMatrix(run.out());
    long total = 0;
    for (long[] row : printed) {
      for (long v : row) {
        total += v;
      }
    }
    assertEquals(10_000, total, run.out());
    assertTrue(run.out().contains(" of 10000 test images correct"), run.out());
    long[][] direct = directMatrix(model, input, shape);
    for (int r = 0; r < 10; r++) {
      assertArrayEquals(direct[r], printed[r], "row " + r + " of " + run.out());
    }
  }

  @Test
  void evaluateReadsAKerasCnnsProbabilities() throws Exception {
    Path model = ForeignModels.kerasCnn(tmp.resolve("keras_cnn"));
    assertEvaluates(
        model,
        "image",
        new long[] {-1, 28, 28, 1},
        "model serving_default: image [-1, 28, 28, 1] -> scores [-1, 10], read as probabilities");
  }

  @Test
  void evaluateTurnsLogitsIntoProbabilitiesWhateverTheirName() throws Exception {
    Path model =
        ForeignModels.mnistClassifier(
            tmp.resolve("dense_logits"), new long[] {-1, 784}, "flat", "dense_1", true);
    assertEvaluates(
        model,
        "flat",
        new long[] {-1, 784},
        "model serving_default: flat [-1, 784] -> dense_1 [-1, 10], read as logits");
  }

  @Test
  void predictAnswersAsADirectRunOfThePreparedPicture() throws Exception {
    Path model = ForeignModels.kerasCnn(tmp.resolve("keras_cnn_predict"));
    float[] image = new float[784];
    test.copyImage(0, image, 0);
    Path png =
        Pngs.write(
            tmp.resolve("digit.png"),
            28,
            28,
            8,
            (x, y) -> Math.round(255 * (1 - image[y * 28 + x]))); // dark ink on white paper
    float[] prepared = ImagePreprocessor.load(png);
    TensorValue scores =
        ForeignModels.directRun(
                model, "serving_default", Map.of("image", ForeignModels.images(prepared, 1)))
            .get("scores");

    CliRun run =
        CliRun.of(
            "predict", "--json", "--model", model.toString(), "--output", "scores", png.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonObject answer = JsonParser.parseString(run.out()).getAsJsonArray().get(0).getAsJsonObject();
    JsonArray probabilities = answer.getAsJsonArray("probabilities");
    float[] served = new float[10];
    int best = 0;
    for (int c = 0; c < 10; c++) {
      served[c] = probabilities.get(c).getAsFloat();
      best = scores.floats()[c] > scores.floats()[best] ? c : best;
    }
    assertArrayEquals(scores.floats(), served, 0f);
    assertEquals(best, answer.get("digit").getAsInt());
  }
}
