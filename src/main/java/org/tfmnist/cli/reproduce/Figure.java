package org.tfmnist.cli.reproduce;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * One figure a write-up reports, beside ours: the write-up's value as it prints it ("80.6" for 80.6
 * %, taken from its file in {@code ../shared/seeds/}; words where it states no figure) and the data
 * it was measured on; our value, our data and the run directory that holds it.
 */
public record Figure(
    String figure, String writeup, String writeupData, String ours, String oursData, String run) {

  /** A fraction 0..1 as a percentage with {@code decimals} decimals, as the write-ups print it. */
  public static String percent(double fraction, int decimals) {
    return Double.isNaN(fraction)
        ? "n/a"
        : String.format(Locale.ROOT, "%." + decimals + "f", 100 * fraction);
  }

  /**
   * {@code value}, followed by "(after N unit)" when our run was cut short of the {@code written}
   * length (a cap), so a capped figure never reads as the written protocol's.
   */
  public static String after(String value, long ours, long written, String unit) {
    return ours == written
        ? value
        : String.format(Locale.ROOT, "%s (after %,d %s)", value, ours, unit);
  }

  /** Prints {@code figures} as a Markdown table. */
  public static void printTable(List<Figure> figures, PrintStream out) {
    out.println("| figure | write-up | write-up's data | ours | our data | run |");
    out.println("|---|---|---|---|---|---|");
    for (Figure f : figures) {
      out.println(
          "| "
              + String.join(
                  " | ",
                  f.figure(),
                  f.writeup(),
                  f.writeupData(),
                  f.ours(),
                  f.oursData(),
                  f.run().isEmpty() ? "" : "`" + f.run() + "`")
              + " |");
    }
  }
}
