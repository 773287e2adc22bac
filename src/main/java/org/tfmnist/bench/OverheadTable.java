package org.tfmnist.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@link ServeOverhead}'s rows as a text table, then the ratios at a glance. */
final class OverheadTable {
  private OverheadTable() {}

  static void print(List<ServeOverhead.Row> rows, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-8s %-9s %7s %9s %6s %9s %6s %12s %13s %12s %7s %6s%n",
        "protocol",
        "batching",
        "clients",
        "served/s",
        "batch",
        "bare/s",
        "ratio",
        "cpu us/req",
        "outside TF us",
        "JIT us/req",
        "warm s",
        "failed");
    for (ServeOverhead.Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-8s %-9s %7d %9.0f %6.1f %9.0f %6.2f %12.0f %13.0f %12.0f %7.0f %6d%n",
          r.protocol(),
          r.batching() ? "on" : "off",
          r.clients(),
          r.servedPerSecond(),
          r.meanBatch(),
          r.barePerSecond(),
          r.ratio(),
          r.serverCpuMicrosPerRequest(),
          r.outsideTensorFlowMicros(),
          r.jitMicrosPerRequest(),
          r.warmupSeconds(),
          r.failed());
    }
    StringBuilder line = new StringBuilder("overhead ratio (served / bare at the batch formed):");
    for (ServeOverhead.Row r : rows) {
      line.append(
          String.format(
              Locale.ROOT,
              " %s batching %s %.2f;",
              r.protocol(),
              r.batching() ? "on" : "off",
              r.ratio()));
    }
    out.println(line.substring(0, line.length() - 1));
  }
}
