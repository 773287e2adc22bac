package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.SmallDisk;
import org.tfmnist.TestData;

/**
 * A run whose disk fills up at the end: 64 KiB of tmpfs hold the settings, the CSV and one softmax
 * checkpoint (31 KB of weights) but not the plots and the SavedModel beside them. The run fails in
 * one line with exit 1, leaves only complete files (no saved_model, no temporary file or
 * directory), and, once there is room, {@code --resume} exports from the last checkpoint and draws
 * the plots again.
 */
@Tag("data")
class FullDiskTest {
  @Test
  void anExportOnAFullDiskFailsInOneLineAndResumeExports() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(64)) {
      Path run = disk.dir().resolve("run");
      CliRun failed =
          CliRun.of(
              "beginners",
              "--data-dir",
              TestData.mnistSmallDir().toString(),
              "--run-dir",
              run.toString(),
              "--steps",
              "80");
      assertEquals(1, failed.exitCode(), failed.err());
      List<String> errors =
          failed
              .err()
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("I0000") && !l.startsWith("WARNING"))
              .toList();
      assertEquals(1, errors.size(), failed.err());
      // the plots are drawn when training ends, just before the export: either can hit the full
      // disk
      assertTrue(
          errors
                  .get(0)
                  .startsWith(
                      "error: " + run.resolve("saved_model") + ": cannot export SavedModel: ")
              || errors
                  .get(0)
                  .matches(
                      "error: "
                          + java.util.regex.Pattern.quote(run.toString())
                          + "/(loss|accuracy)\\.png: cannot write: No space left on device"),
          errors.get(0));
      assertFalse(failed.err().contains("\tat "), "no stack trace");
      // besides the plots, TensorBoard's event files (append-only records, read back by TensorBoard
      // record by record)
      List<String> left =
          disk.contents(run).stream()
              .filter(f -> !f.endsWith(".png") && !f.startsWith("logs"))
              .toList();
      assertEquals(
          List.of(
              "checkpoint",
              "checkpoint/ckpt-80.data-00000-of-00001",
              "checkpoint/ckpt-80.index",
              "checkpoint/latest",
              "metrics.csv",
              "run.properties"),
          left,
          "complete files only: no saved_model, no .partial file or directory");
      for (String png : disk.contents(run).stream().filter(f -> f.endsWith(".png")).toList()) {
        assertTrue(
            javax.imageio.ImageIO.read(run.resolve(png).toFile()) != null, png + " is complete");
      }
      assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size());

      disk.grow(1024);
      CliRun resumed = CliRun.of("beginners", "--resume", run.toString());
      assertEquals(0, resumed.exitCode(), resumed.err());
      assertTrue(Files.isRegularFile(run.resolve("saved_model/saved_model.pb")));
      assertTrue(
          Files.isRegularFile(run.resolve("loss.png"))
              && Files.isRegularFile(run.resolve("accuracy.png")),
          "the plots are drawn again");
      assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size(), "no row repeated");
    }
  }
}
