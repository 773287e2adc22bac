package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tfmnist.SmallDisk;
import org.tfmnist.TestData;

/**
 * A run whose disk fills up at the final export: 64 KiB of tmpfs hold the settings, the CSV and
 * one softmax checkpoint (31 KB of weights) but not the SavedModel beside it. The run fails in
 * one line with exit 1, leaves no saved_model nor temporary directory, and, once there is room,
 * {@code --resume} exports from the last checkpoint.
 */
class FullDiskTest {
  @Test
  void anExportOnAFullDiskFailsInOneLineAndResumeExports() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(64)) {
      Path run = disk.dir().resolve("run");
      CliRun failed = CliRun.of("beginners", "--data-dir", TestData.mnistSmallDir().toString(),
          "--run-dir", run.toString(), "--steps", "80");
      assertEquals(1, failed.exitCode(), failed.err());
      List<String> errors = failed.err().lines().filter(l -> !l.isBlank() && !l.startsWith("I0000")
          && !l.startsWith("WARNING")).toList();
      assertEquals(1, errors.size(), failed.err());
      assertTrue(errors.get(0).startsWith("error: " + run.resolve("saved_model")
          + ": cannot export SavedModel: "), errors.get(0));
      assertFalse(failed.err().contains("\tat "), "no stack trace");
      assertEquals(List.of("checkpoint", "checkpoint/ckpt-80.data-00000-of-00001",
          "checkpoint/ckpt-80.index", "checkpoint/latest", "metrics.csv", "run.properties"),
          disk.contents(run), "complete files only: no saved_model, no .partial directory");
      assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size());

      disk.grow(1024);
      CliRun resumed = CliRun.of("beginners", "--resume", run.toString());
      assertEquals(0, resumed.exitCode(), resumed.err());
      assertTrue(Files.isRegularFile(run.resolve("saved_model/saved_model.pb")));
      assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size(), "no row repeated");
    }
  }
}
