package org.tfmnist.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.tfmnist.bench.BenchmarkReport.TrainingRate;

/** Prints a {@link BenchmarkReport} as the performance table of docs/performance.md (Markdown). */
public final class BenchmarkTable {
  private BenchmarkTable() {}

  public static void print(BenchmarkReport r, PrintStream out) {
    out.printf(
        Locale.ROOT, "CPU: %s, %d cores; every session: %s%n", r.cpu(), r.cores(), r.session());
    out.printf(
        Locale.ROOT,
        "matmul ceiling: %dx%d float32, a chain of %d in one session, median of %d runs: %.1f GFLOP/s%n%n",
        r.ceiling().size(),
        r.ceiling().size(),
        r.ceiling().chain(),
        r.ceiling().runs(),
        r.ceiling().gflops());
    rates(out, "model", r.training(), false);
    if (r.mixedPrecision() != null && !r.mixedPrecision().isEmpty()) {
      out.printf(
          "%ncnn in bfloat16 mixed precision (experts --fast's arithmetic where the CPU has native bfloat16;"
              + " here: %s); the same FLOPs, the fraction is of the float32 ceiling:%n",
          r.nativeBfloat16() ? "yes" : "no");
      rates(out, "model", r.mixedPrecision(), false);
    }
    if (r.loop() != null) {
      out.printf(
          Locale.ROOT,
          "%nloop overhead (cnn, batch %d): Trainer %.0f examples/s, bare loop %.0f examples/s, Trainer/bare %.3f%n",
          r.loop().batch(),
          r.loop().trainer(),
          r.loop().bare(),
          r.loop().ratio());
    }
    if (r.startup() != null) {
      startup(out, "start-up (new JVM each, median of 3)", r.startup());
    }
    if (r.startup() != null && r.startupWithCds() == null) {
      out.println(
          "start-up from the CDS archive: not measured (no target/tfmnist.jsa beside the jar that this JVM can use;"
              + " mvn package writes it)");
    }
    if (r.startupWithCds() != null) {
      startup(
          out,
          "start-up from the CDS archive (java -XX:SharedArchiveFile=target/tfmnist.jsa, rounds alternating)",
          r.startupWithCds());
    }
    if (r.latency() != null) {
      out.printf(
          Locale.ROOT,
          "predict latency (loaded SavedModel, one image, %d calls): p50 %.3f ms, p99 %.3f ms%n",
          r.latency().samples(),
          r.latency().p50Millis(),
          r.latency().p99Millis());
    }
    if (r.variants() != null) {
      out.printf("%nsession settings, cnn at batch 50 (rounds alternate between them):%n");
      rates(out, "setting", r.variants(), true);
    }
  }

  private static void startup(PrintStream out, String title, StartupTimes.Figures f) {
    out.printf(
        Locale.ROOT,
        "%s: experts to its first training step %.2f s; serve answering its first"
            + " predict %.2f s; predict of one image, end to end %.2f s%n",
        title,
        f.firstTrainingStep(),
        f.serveFirstResponse(),
        f.predictOneImage());
  }

  private static void rates(
      PrintStream out, String first, List<TrainingRate> rates, boolean bySetting) {
    out.printf(
        "| %s | batch | MFLOP/example forward / training | examples/s | GFLOP/s | of ceiling |%n",
        first);
    out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (TrainingRate t : rates) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %.3f / %.3f | %.0f | %.1f | %.3f |%n",
          bySetting ? t.setting() : t.model(),
          t.batch(),
          t.forwardFlopsPerExample() / 1e6,
          t.trainingFlopsPerExample() / 1e6,
          t.examplesPerSecond(),
          t.gflops(),
          t.fractionOfCeiling());
    }
  }
}
