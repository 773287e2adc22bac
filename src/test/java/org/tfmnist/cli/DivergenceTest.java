package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tfmnist.TestData;
import org.tfmnist.train.EventFiles;

/**
 * The tutorial CNN at {@code --learning-rate 1e4} (Adam) reaches a NaN loss within a few steps: the
 * run stops at that step with one line naming it and a lower learning rate, exit code 1, keeps the
 * CSV rows and the checkpoint of the epochs before, and exports no SavedModel. The training set is
 * cut to 100 real mnist-small images (2 steps an epoch), so epochs end before the loss breaks.
 */
class DivergenceTest {
  @TempDir Path tmp;

  @Test
  void aNanLossStopsTheRunKeepingTheCsvAndLastCheckpointAndExportingNothing() throws Exception {
    Path data = firstImagesOfMnistSmall(tmp.resolve("data"), 100);
    Path run = tmp.resolve("run");
    CliRun result = CliRun.of("experts", "--data-dir", data.toString(), "--learning-rate", "1e4", "--run-dir", run.toString());

    assertEquals(1, result.exitCode(), result.err());
    Matcher m = Pattern.compile("(?m)^error: training diverged: the loss is (NaN|infinite) at step (\\d+); start a new run"
        + " with a lower --learning-rate than 10000\\.0 \\(nothing exported; metrics\\.csv and the last checkpoint are kept\\)$")
        .matcher(result.err());
    assertTrue(m.find(), "one-line divergence message in: " + result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace");
    long badStep = Long.parseLong(m.group(2));
    assertTrue(badStep > 2, "diverged after the first epoch (2 steps), at step " + badStep);
    long lastGoodEpochEnd = (badStep - 1) / 2 * 2;

    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(1 + lastGoodEpochEnd / 2, csv.size(), "header and a row per finished epoch: " + csv);
    assertTrue(csv.get(csv.size() - 1).startsWith(lastGoodEpochEnd / 2 + "," + lastGoodEpochEnd + ","), csv.toString());
    assertEquals("ckpt-" + lastGoodEpochEnd, Files.readString(run.resolve("checkpoint/latest")).trim());
    assertTrue(Files.isRegularFile(run.resolve("checkpoint/ckpt-" + lastGoodEpochEnd + ".index")));
    assertFalse(Files.exists(run.resolve("saved_model")), "a diverged model is not exported");
    assertFalse(result.out().contains("saved model"), result.out());

    // The TensorBoard events of the good steps are closed and readable; the bad step is not logged.
    List<Event> train = EventFiles.readAll(run.resolve("logs/train"));
    for (Event event : train) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        assertTrue(Float.isFinite(value.getSimpleValue()), value.getTag() + " at step " + event.getStep());
        assertTrue(event.getStep() < badStep, value.getTag() + " at step " + event.getStep());
      }
    }
    assertTrue(train.stream().anyMatch(e -> !e.getGraphDef().isEmpty()), "graph logged");
  }

  /** A data directory with the first {@code count} training and test images of mnist-small. */
  private static Path firstImagesOfMnistSmall(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    Path source = TestData.mnistSmallDir();
    for (String set : List.of("train", "t10k")) {
      byte[] images = gunzip(source.resolve(set + "-images-idx3-ubyte.gz"));
      byte[] labels = gunzip(source.resolve(set + "-labels-idx1-ubyte.gz"));
      byte[] pixels = new byte[count * 784];
      System.arraycopy(images, 16, pixels, 0, pixels.length);
      byte[] firstLabels = new byte[count];
      System.arraycopy(labels, 8, firstLabels, 0, count);
      assertEquals(28, ByteBuffer.wrap(images).getInt(8));
      TestData.writeImages(dir.resolve(set + "-images-idx3-ubyte.gz"), count, 28, 28, pixels, true);
      TestData.writeLabels(dir.resolve(set + "-labels-idx1-ubyte.gz"), count, firstLabels, true);
    }
    return dir;
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }
}
