package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;
import org.tfmnist.train.EpochMetrics;

@Tag("unit")
class MetricsCsvTest {
  @TempDir Path tmp;

  @Test
  void writesTheKerasStyleHeaderAndOneRowPerEpoch() throws Exception {
    Path file = tmp.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.create(file)) {
      csv.onEpochEnd(new EpochMetrics(1, 80, 0.61, 0.83, 0.40, 0.89, 1.5));
      csv.onEpochEnd(new EpochMetrics(2, 160, 0.35, 0.90, 0.36, 0.8975, 3.25));
    }
    assertEquals(
        List.of(
            "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds",
            "1,80,0.610000,0.830000,0.400000,0.890000,1.500",
            "2,160,0.350000,0.900000,0.360000,0.897500,3.250"),
        Files.readAllLines(file));
  }

  @Test
  void neverOverwritesAnExistingLog() throws Exception {
    Path file = Files.writeString(tmp.resolve("metrics.csv"), "precious\n");
    TfmnistException e = assertThrows(TfmnistException.class, () -> MetricsCsv.create(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertEquals("precious\n", Files.readString(file));
  }

  @Test
  void resumeDropsRowsPastTheCheckpointAndAHalfWrittenLine() throws Exception {
    Path file = tmp.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.create(file)) {
      csv.onEpochEnd(new EpochMetrics(1, 160, 1, 0.5, 1, 0.5, 10));
      csv.onEpochEnd(new EpochMetrics(2, 320, 1, 0.6, 1, 0.6, 20));
      csv.onEpochEnd(new EpochMetrics(3, 480, 1, 0.7, 1, 0.7, 30));
    }
    Files.writeString(file, "4,64", java.nio.file.StandardOpenOption.APPEND); // killed mid-row
    MetricsCsv.Resumed resumed = MetricsCsv.resume(file, 320);
    assertEquals(2, resumed.rowsKept());
    assertEquals(20.0, resumed.elapsedSeconds());
    try (MetricsCsv csv = resumed.csv()) {
      csv.onEpochEnd(new EpochMetrics(3, 480, 1, 0.75, 1, 0.75, 31));
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(2).startsWith("2,320,"));
    assertTrue(lines.get(3).startsWith("3,480,1.000000,0.750000"));
  }
}
