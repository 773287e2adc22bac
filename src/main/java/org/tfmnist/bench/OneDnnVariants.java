package org.tfmnist.bench;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * The CNN at batch 50 with TensorFlow's oneDNN kernels on and off: {@code TF_ENABLE_ONEDNN_OPTS} is
 * read once when the native library loads, so each setting runs in a child JVM ({@code benchmark
 * --cnn-only --json}), alternating on/off for the rounds.
 */
final class OneDnnVariants {
  private final List<String> cli;
  private final Path dataDir;
  private final Path workDir;

  OneDnnVariants(List<String> cli, Path dataDir, Path workDir) {
    this.cli = cli;
    this.dataDir = dataDir;
    this.workDir = workDir;
  }

  /**
   * One row per setting: the median over the children of its examples/s, against {@code ceiling}.
   */
  List<BenchmarkReport.TrainingRate> measure(Benchmark.Plan plan, MatmulCeiling.Rate ceiling)
      throws TfmnistException {
    double[][] figures = new double[2][plan.rounds()];
    for (int r = 0; r < plan.rounds(); r++) {
      for (int on = 1; on >= 0; on--) {
        figures[on][r] = child(on == 1, plan);
      }
    }
    List<BenchmarkReport.TrainingRate> rates = new ArrayList<>();
    for (int on = 1; on >= 0; on--) {
      rates.add(
          Benchmark.rateOf(
              new org.tfmnist.model.DeepMnistCnn(1e-4f, 42),
              "TF_ENABLE_ONEDNN_OPTS=" + on + " (child JVM)",
              50,
              Percentiles.median(figures[on]),
              ceiling));
    }
    return rates;
  }

  private double child(boolean oneDnn, Benchmark.Plan plan) throws TfmnistException {
    List<String> command = new ArrayList<>(cli);
    command.addAll(
        List.of(
            "benchmark",
            "--cnn-only",
            "--json",
            "--batches",
            "50",
            "--rounds",
            "1",
            "--steps",
            Integer.toString(plan.steps()),
            "--matmul-size",
            "256",
            "--data-dir",
            dataDir.toString()));
    Path out = workDir.resolve("onednn-" + (oneDnn ? 1 : 0) + ".json");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("TF_ENABLE_ONEDNN_OPTS", oneDnn ? "1" : "0");
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    try {
      Process process = builder.start();
      if (!process.waitFor(600, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TfmnistException("the oneDNN child benchmark did not finish within 600 s");
      }
      String json = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new TfmnistException(
            "the oneDNN child benchmark exited with " + process.exitValue() + ": " + json);
      }
      BenchmarkReport report = new Gson().fromJson(json, BenchmarkReport.class);
      return report.training().get(0).examplesPerSecond();
    } catch (IOException e) {
      throw new TfmnistException("cannot run the oneDNN child benchmark: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while running the oneDNN child benchmark", e);
    }
  }
}
