package org.tfmnist.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.SmallDisk;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;
import org.tfmnist.train.listeners.Checkpoints;
import org.tfmnist.train.listeners.MetricsCsv;

/**
 * A checkpoint and a metrics row meeting a full disk (a small tmpfs): one line, nothing
 * half-written.
 */
@Tag("data")
class FullDiskTrainTest {
  @Test
  void aCheckpointOnAFullDiskFailsCleanlyAndTheLastOneStillRestores() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    try (SmallDisk disk = SmallDisk.mount(512);
        Graph graph = new Graph()) {
      Path run = disk.dir().resolve("run");
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        Checkpoints checkpoints = new Checkpoints(run);
        new Trainer(model, session, List.of(checkpoints))
            .fit(data, new TrainingPlan(80, 100, 1f, 3, 1000, 1000), 0, 0);
        List<String> before = disk.contents(run);
        assertEquals(
            List.of(
                "checkpoint",
                "checkpoint/ckpt-80.data-00000-of-00001",
                "checkpoint/ckpt-80.index",
                "checkpoint/latest"),
            before);

        disk.fill();
        TfmnistException e = assertThrows(TfmnistException.class, () -> checkpoints.save(160));
        assertTrue(
            e.getMessage()
                .startsWith(run.resolve("checkpoint") + ": cannot save checkpoint ckpt-160: "),
            e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertEquals(
            before, disk.contents(run), "the failed save's files are gone; latest is unchanged");
        assertEquals(run.resolve("checkpoint/ckpt-80"), Checkpoints.latest(run).orElseThrow());

        disk.free();
        checkpoints.save(160);
        assertEquals(run.resolve("checkpoint/ckpt-160"), Checkpoints.latest(run).orElseThrow());
      }
      try (Graph fresh = new Graph()) {
        ModelGraph restored = new SoftmaxRegression(0.5f).build(fresh);
        try (Session session = new Session(fresh)) {
          // saved under the name ckpt-160, it holds the session's global step: 80 trained steps
          assertEquals(
              80L, Checkpoints.restore(session, restored, Checkpoints.latest(run).orElseThrow()));
        }
      }
    }
  }

  @Test
  void aMetricsRowThatDoesNotFitIsCutOffAndResumeCarriesOn() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(64)) {
      Path file = disk.dir().resolve("metrics.csv");
      List<String> written = new ArrayList<>();
      written.add(String.join(",", MetricsCsv.HEADER));
      TfmnistException failure = null;
      try (MetricsCsv csv = MetricsCsv.create(file)) {
        disk.fill();
        // the file's last page still has room: rows go in until one needs a page the disk lacks
        for (int epoch = 1; epoch < 1000 && failure == null; epoch++) {
          EpochMetrics row = new EpochMetrics(epoch, epoch * 80L, 0.5, 0.9, 0.4, 0.91, epoch * 1.5);
          try {
            csv.onEpochEnd(row);
            written.add(Files.readAllLines(file).get(epoch));
          } catch (TfmnistException e) {
            failure = e;
          }
        }
      }
      assertTrue(failure != null, "a 4 KiB page holds under 100 rows: one must have failed");
      assertTrue(
          failure.getMessage().startsWith(file + ": cannot append: No space left on device"),
          failure.getMessage());
      assertEquals(written, Files.readAllLines(file), "the file ends on the last complete row");
      assertTrue(Files.readString(file).endsWith("\n"));

      disk.free();
      int rows = written.size() - 1;
      MetricsCsv.Resumed resumed = MetricsCsv.resume(file, rows * 80L);
      assertEquals(rows, resumed.rowsKept());
      try (MetricsCsv csv = resumed.csv()) {
        csv.onEpochEnd(new EpochMetrics(rows + 1, (rows + 1) * 80L, 0.5, 0.9, 0.4, 0.91, 1));
      }
      assertEquals(rows + 2, Files.readAllLines(file).size());
      assertEquals(List.of("metrics.csv"), disk.contents(disk.dir()), "no temporary file left");
    }
  }
}
