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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tfmnist.EventFiles;
import org.tfmnist.TestData;

/**
 * The tutorial CNN at {@code --learning-rate 1e8} (Adam moves every weight by about 1e8 in its
 * first step) gives a NaN loss at once: the run stops with one line naming the step and a lower
 * learning rate, exit code 1, exports no SavedModel, and leaves its CSV and TensorBoard files
 * closed and readable. (At 1e4 the CNN diverged in most tries here but not all: multi-threaded
 * kernels; 1e8 did every time.) That earlier epochs' rows and checkpoint stay is {@code
 * TrainerDivergenceTest}'s. The data are 50 training and 100 test images of mnist-small.
 */
@Tag("data")
class DivergenceTest {
  @TempDir Path tmp;

  @Test
  void aNanLossStopsTheRunWithOneLineAndExportsNothing() throws Exception {
    Path data = firstImagesOfMnistSmall(tmp.resolve("data"), 50, 100);
    Path run = tmp.resolve("run");
    CliRun result =
        CliRun.of(
            "experts",
            "--data-dir",
            data.toString(),
            "--learning-rate",
            "1e8",
            "--steps",
            "20",
            "--run-dir",
            run.toString());

    assertEquals(1, result.exitCode(), result.err());
    Matcher m =
        Pattern.compile(
                "(?m)^error: training diverged: the (test )?loss is NaN at step (\\d+); start a new run"
                    + " with a lower --learning-rate than 1\\.0E8 \\(nothing exported; earlier epochs stay in metrics\\.csv and checkpoint/\\)$")
            .matcher(result.err());
    assertTrue(m.find(), "one-line divergence message in: " + result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace");
    long badStep = Long.parseLong(m.group(2));
    assertTrue(badStep <= 3, "diverged at step " + badStep);

    // Step 1 trains at the tutorial's initial weights; its update ruins them. Whether the loss is
    // already NaN at step 2 or only a step later depends on the threads' float order at 1e32, so
    // the epochs before the bad step may be logged (and checkpointed); nothing of it or after it.
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertTrue(csv.get(0).startsWith("epoch,step,loss,"), csv.toString());
    for (String row : csv.subList(1, csv.size())) {
      String[] cells = row.split(",");
      assertTrue(Long.parseLong(cells[1]) < badStep, "a row at or past the bad step: " + row);
      assertTrue(Double.isFinite(Double.parseDouble(cells[2])), "a non-finite loss logged: " + row);
    }
    assertTrue(
        csv.size() > 1 || !Files.exists(run.resolve("checkpoint/latest")),
        "a checkpoint of no logged epoch: the ruined weights");
    assertFalse(Files.exists(run.resolve("saved_model")), "a diverged model is not exported");
    assertFalse(result.out().contains("saved model"), result.out());

    // The TensorBoard events of the good steps are closed and readable; the bad step is not logged.
    List<Event> train = EventFiles.readAll(run.resolve("logs/train"));
    for (Event event : train) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        assertTrue(
            Float.isFinite(value.getSimpleValue()), value.getTag() + " at step " + event.getStep());
        assertTrue(event.getStep() < badStep, value.getTag() + " at step " + event.getStep());
      }
    }
    assertTrue(train.stream().anyMatch(e -> !e.getGraphDef().isEmpty()), "graph logged");
  }

  /**
   * A data directory with the first {@code train} training and {@code test} test images of
   * mnist-small.
   */
  private static Path firstImagesOfMnistSmall(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    Path source = TestData.mnistSmallDir();
    for (String set : List.of("train", "t10k")) {
      int count = set.equals("train") ? train : test;
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
