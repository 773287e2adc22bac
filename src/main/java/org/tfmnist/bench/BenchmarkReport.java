package org.tfmnist.bench;

import java.util.List;

/**
 * One {@code benchmark} run's figures, as {@code --json} prints them (absent parts are null).
 *
 * @param cpu the CPU's model name ({@code /proc/cpuinfo})
 * @param cores cores the JVM may use
 * @param session the session options every measurement used
 * @param ceiling the matmul chain's rate
 * @param training each tutorial model's bare-loop training rate at each batch size
 * @param loop the Trainer's speed against the bare loop (the CNN, batch 50)
 * @param startup start-up times in child JVMs (medians of 3)
 * @param startupWithCds the same, the JVMs started from the build's class-data-sharing archive
 *     ({@code target/tfmnist.jsa}; null without one)
 * @param latency in-process one-image predict latency
 * @param variants the CNN at batch 50 under other settings ({@code --sessions})
 * @param mixedPrecision the CNN's rate at each batch size in bfloat16 mixed precision ({@code
 *     experts --fast}'s arithmetic on CPUs with native bfloat16); its fraction is of the float32
 *     ceiling
 * @param nativeBfloat16 whether this CPU computes bfloat16 in hardware (AVX512-BF16 or AMX)
 */
public record BenchmarkReport(
    String cpu,
    int cores,
    String session,
    MatmulCeiling.Rate ceiling,
    List<TrainingRate> training,
    Loop loop,
    StartupTimes.Figures startup,
    StartupTimes.Figures startupWithCds,
    PredictLatency.Figures latency,
    List<TrainingRate> variants,
    List<TrainingRate> mixedPrecision,
    boolean nativeBfloat16) {

  /**
   * A model's training rate: bare-loop examples/s (median of the rounds), the FLOPs one training
   * example costs (counted from the graph), the resulting GFLOP/s and its fraction of the ceiling.
   */
  public record TrainingRate(
      String model,
      String setting,
      int batch,
      long forwardFlopsPerExample,
      long trainingFlopsPerExample,
      double examplesPerSecond,
      double gflops,
      double fractionOfCeiling) {}

  /** Trainer vs bare loop, mean examples/s over the rounds. */
  public record Loop(int batch, double bare, double trainer, double ratio) {}
}
