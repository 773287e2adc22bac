package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.SmallMnist;
import org.tfmnist.bench.BenchmarkReport;
import org.tfmnist.bench.BenchmarkReport.TrainingRate;

@Tag("data")
class BenchmarkCommandTest {
  @TempDir Path tmp;

  @Test
  void jsonOutputParsesAndItsFiguresAgree() throws Exception {
    Path data = SmallMnist.write(tmp.resolve("data"), 200, 100);
    CliRun result =
        CliRun.of(
            "benchmark",
            "--json",
            "--steps",
            "2",
            "--rounds",
            "1",
            "--batches",
            "50",
            "--matmul-size",
            "128",
            "--latency-samples",
            "20",
            "--no-startup",
            "--data-dir",
            data.toString());
    assertEquals(0, result.exitCode(), result.err());
    BenchmarkReport report = new Gson().fromJson(result.out(), BenchmarkReport.class);
    assertTrue(report.ceiling().gflops() > 0, result.out());
    assertEquals(2, report.training().size(), "softmax and cnn at batch 50");
    TrainingRate cnn = report.training().get(1);
    assertEquals("cnn", cnn.model());
    assertEquals(27_767_808L, cnn.forwardFlopsPerExample());
    assertEquals(82_049_024L, cnn.trainingFlopsPerExample());
    assertEquals(cnn.examplesPerSecond() * cnn.trainingFlopsPerExample() / 1e9, cnn.gflops(), 1e-6);
    assertEquals(cnn.gflops() / report.ceiling().gflops(), cnn.fractionOfCeiling(), 1e-9);
    assertEquals(1, report.mixedPrecision().size(), "the cnn in bfloat16 at batch 50");
    TrainingRate mixed = report.mixedPrecision().get(0);
    assertEquals("bfloat16", mixed.setting());
    assertEquals(cnn.trainingFlopsPerExample(), mixed.trainingFlopsPerExample());
    assertTrue(mixed.examplesPerSecond() > 0, result.out());
    assertTrue(report.loop().bare() > 0 && report.loop().trainer() > 0, result.out());
    assertTrue(
        report.latency().p50Millis() > 0
            && report.latency().p50Millis() <= report.latency().p99Millis());
    assertNull(report.startup(), "--no-startup");
  }

  /**
   * The tutorial's pooling is TF1's MaxPool (attributes), not MaxPoolV2, so oneDNN can take it
   * over.
   */
  @Test
  void theProfileNamesTheOpsAStepRuns() throws Exception {
    Path data = SmallMnist.write(tmp.resolve("data"), 200, 100);
    CliRun result =
        CliRun.of(
            "benchmark",
            "--profile",
            "--steps",
            "3",
            "--batch",
            "50",
            "--data-dir",
            data.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("cnn, batch 50, 3 traced steps"), result.out());
    assertTrue(
        result.out().contains("MaxPoolGrad |"), "the pooling's gradient ran: " + result.out());
    assertFalse(
        result.out().contains("MaxPoolGradV2"),
        "the V2 ops, which oneDNN leaves to Eigen: " + result.out());
    assertTrue(result.out().contains("ApplyAdam |"), result.out());
  }
}
