package org.tfmnist.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tfmnist.train.TrainingListener;

/**
 * A listener that records the process's resident memory (VmRSS from /proc/self/status, Linux) every
 * {@code every} steps, to show that a long run does not grow: every Tensor and Result in the loop
 * is closed.
 */
public final class ResidentMemoryProbe implements TrainingListener {
  private final long every;
  private final PrintStream out;
  private final Map<Long, Long> kilobytesAtStep = new LinkedHashMap<>();

  public ResidentMemoryProbe(long every, PrintStream out) {
    this.every = every;
    this.out = out;
  }

  @Override
  public void onProgress(long step, double batchAccuracy) {
    if (step > 0 && step % every == 0) {
      long kb = residentKilobytes();
      kilobytesAtStep.put(step, kb);
      out.printf(Locale.ROOT, "step %d: resident memory %.1f MiB%n", step, kb / 1024.0);
    }
  }

  /** Resident kilobytes recorded at each probed step. */
  public Map<Long, Long> samples() {
    return Map.copyOf(kilobytesAtStep);
  }

  /** This process's resident set size in kB, or -1 where /proc is not available. */
  public static long residentKilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
