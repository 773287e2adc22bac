package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the results table of the write-ups in Markdown, one row per run, from each run's last
 * epoch.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Prints a Markdown table of runs: model, parameters, epochs, final training and test"
            + " (and validation) loss and accuracy, wall time.")
final class SummaryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "RUN_DIR",
      arity = "1..*",
      description = "Run directories (each with a metrics.csv).")
  List<Path> runs;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    List<RunInfo> loaded = new ArrayList<>();
    for (Path dir : runs) {
      loaded.add(RunInfo.load(dir));
    }
    Console.out(spec).print(table(loaded));
    return 0;
  }

  /** The Markdown table; validation columns appear when any run logged them. */
  static String table(List<RunInfo> runs) throws TfmnistException {
    boolean validation = runs.stream().anyMatch(r -> r.metrics().hasValidation());
    List<String> header =
        new ArrayList<>(
            List.of("run", "model", "parameters", "epochs", "train loss", "train accuracy"));
    if (validation) {
      header.addAll(List.of("val loss", "val accuracy"));
    }
    header.addAll(List.of("test loss", "test accuracy", "wall time"));
    StringBuilder sb = new StringBuilder();
    sb.append(row(header));
    List<String> rule = new ArrayList<>(List.of("---", "---"));
    while (rule.size() < header.size()) {
      rule.add("---:");
    }
    sb.append(row(rule));
    for (RunInfo run : runs) {
      MetricsTable.Row last = run.metrics().last();
      List<String> cells =
          new ArrayList<>(
              List.of(
                  run.name(),
                  run.model(),
                  run.parameters() >= 0 ? String.format(Locale.ROOT, "%,d", run.parameters()) : "-",
                  Integer.toString(last.epoch()),
                  figure(last.loss()),
                  figure(last.accuracy())));
      if (validation) {
        cells.add(run.metrics().hasValidation() ? figure(last.valLoss()) : "-");
        cells.add(run.metrics().hasValidation() ? figure(last.valAccuracy()) : "-");
      }
      cells.add(figure(last.testLoss()));
      cells.add(figure(last.testAccuracy()));
      cells.add(String.format(Locale.ROOT, "%.1f s", last.elapsedSeconds()));
      sb.append(row(cells));
    }
    return sb.toString();
  }

  private static String figure(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }
}
