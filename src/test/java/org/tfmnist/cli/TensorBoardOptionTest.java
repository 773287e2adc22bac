package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tfmnist.EventFiles;
import org.tfmnist.TestData;

/**
 * {@code --tensorboard DIR} puts the event files there instead of RUN_DIR/logs; a file there is a
 * bad option.
 */
@Tag("data")
class TensorBoardOptionTest {
  @TempDir Path tmp;

  @Test
  void eventFilesGoWhereTheOptionSays() throws Exception {
    Path run = tmp.resolve("run");
    Path logs = tmp.resolve("tb");
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--steps",
            "80",
            "--run-dir",
            run.toString(),
            "--tensorboard",
            logs.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertFalse(Files.exists(run.resolve("logs")));
    List<Event> train = EventFiles.readAll(logs.resolve("train"));
    assertTrue(train.stream().anyMatch(e -> !e.getGraphDef().isEmpty()), "graph");
    assertEquals(
        8,
        train.stream()
            .filter(
                e ->
                    e.getSummary().getValueList().stream()
                        .anyMatch(v -> v.getTag().equals("batch_loss")))
            .count(),
        "batch_loss at steps 10..80");
    assertEquals(
        2,
        EventFiles.readAll(logs.resolve("test")).stream()
            .flatMap(e -> e.getSummary().getValueList().stream())
            .count(),
        "epoch_loss and epoch_accuracy of epoch 1");
  }

  @Test
  void aFileInTheWayIsABadOptionBeforeAnyRunDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Path run = tmp.resolve("run");
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--steps",
            "10",
            "--run-dir",
            run.toString(),
            "--tensorboard",
            file.toString());
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(
        result.err().startsWith("--tensorboard " + file + ": not a directory"), result.err());
    assertFalse(Files.exists(run));
  }
}
