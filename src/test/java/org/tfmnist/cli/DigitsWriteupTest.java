package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.model.GradientDescent;
import org.tfmnist.model.InputShape;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.listeners.Checkpoints;

/**
 * {@code digits --bias constant --explain 0 --explain-epoch 11}: the write-up's constant bias, and
 * its hand trace of the data set's first image (a 0) after epoch 11.
 */
class DigitsWriteupTest {
  private static final Path DIGITS = Path.of("data", "digits", "digits.csv.gz");
  private static final int STEPS_PER_EPOCH = 12; // ceil(1,437 / 128)

  @TempDir Path tmp;

  @Test
  void constantBiasStaysZeroAndTheTraceIsEpochElevensOwnLoss() throws Exception {
    Path dir = tmp.resolve("digits");
    CliRun run =
        CliRun.of(
            "digits",
            "--bias",
            "constant",
            "--epochs",
            "20",
            "--explain",
            "0",
            "--explain-epoch",
            "11",
            "--run-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.testAccuracy() >= 0.9, "accuracy with b fixed at zero: " + run.testAccuracy());
    assertTrue(
        run.out().contains("data-set image 0 (label 0, in the training set), after epoch 11"),
        run.out());

    Dataset all = DigitsLoader.load(DIGITS);
    float[] image = new float[64];
    all.copyImage(0, image, 0);
    Restored last = restore(Checkpoints.latest(dir).orElseThrow(), image);
    for (float b : last.bias) {
      assertEquals(0f, b, 0f, "b after 20 epochs");
    }
    try (Graph graph = new Graph()) {
      ModelGraph trainedBias =
          new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, false)
              .build(graph);
      try (Session session = new Session(graph)) {
        assertThrows(
            TfmnistException.class,
            () -> Checkpoints.restore(session, trainedBias, Checkpoints.latest(dir).orElseThrow()),
            "the run's checkpoint holds no variable b: nothing could change it");
      }
    }
    Restored epoch11 = restore(Checkpoints.at(dir, 11L * STEPS_PER_EPOCH).orElseThrow(), image);
    assertTrue(Math.abs(epoch11.loss - last.loss) > 1e-3, "epoch 11 is not the last epoch");

    Matcher row =
        Pattern.compile("(?m)^\\s+(\\d) +(-?[\\d.]+) +([\\d.]+) +(-?[\\d.]+) +([01]) +(-?[\\d.]+)$")
            .matcher(run.out());
    int classes = 0;
    while (row.find()) {
      int c = Integer.parseInt(row.group(1));
      assertEquals(epoch11.logits[c], Double.parseDouble(row.group(2)), 1e-4, "logit " + c);
      assertEquals(c == 0 ? "1" : "0", row.group(5), "one-hot label of a 0");
      classes++;
    }
    assertEquals(10, classes);
    assertTrue(run.out().contains("log_softmax"), "log-softmax column");
    double printed = number(run.out(), "loss = sum of the terms = -log_softmax\\[0\\] = ([\\d.]+)");
    assertEquals(epoch11.loss, printed, 1e-5, "the printed loss is the graph's own for image 0");
  }

  private record Restored(float[] logits, float[] bias, float loss) {}

  /** Restores {@code checkpoint} into a fresh graph and runs image 0 (a 0) through it. */
  private static Restored restore(Path checkpoint, float[] image) throws Exception {
    float[] oneHot = new float[10];
    oneHot[0] = 1;
    try (Graph graph = new Graph()) {
      ModelGraph model =
          new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, true)
              .build(graph);
      try (Session session = new Session(graph);
          TFloat32 x = TFloat32.tensorOf(Shape.of(1, 64), DataBuffers.of(image, true, false));
          TFloat32 y = TFloat32.tensorOf(Shape.of(1, 10), DataBuffers.of(oneHot, true, false))) {
        Checkpoints.restore(session, model, checkpoint);
        try (Result r =
            session
                .runner()
                .feed(model.images(), x)
                .feed(model.labels(), y)
                .fetch(model.logits())
                .fetch("b")
                .fetch(model.loss())
                .run()) {
          float[] logits = new float[10];
          float[] bias = new float[10];
          for (int c = 0; c < 10; c++) {
            logits[c] = ((TFloat32) r.get(0)).getFloat(0, c);
            bias[c] = ((TFloat32) r.get(1)).getFloat(c);
          }
          return new Restored(logits, bias, ((TFloat32) r.get(2)).getFloat());
        }
      }
    }
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in:\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
