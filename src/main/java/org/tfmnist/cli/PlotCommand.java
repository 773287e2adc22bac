package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsCharts;
import org.tfmnist.report.MetricsCharts.LabelledRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Overlays several runs' loss and accuracy curves in one PNG: a loss panel and an accuracy panel.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Draws the loss and accuracy per epoch of one or more runs side by side in one PNG,"
            + " one colour per run: test curves solid, validation dotted, training dashed.")
final class PlotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "RUN_DIR",
      arity = "1..*",
      description = "Run directories (each with a metrics.csv).")
  List<Path> runs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.png",
      description = "The PNG to write.")
  Path out;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    List<LabelledRun> labelled = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (Path dir : runs) {
      RunInfo run = RunInfo.load(dir);
      String label = run.label();
      for (int n = 2; !labels.add(label); n++) {
        label = run.label() + " #" + n;
      }
      labelled.add(new LabelledRun(label, run.metrics()));
    }
    MetricsCharts.writeOverlayPng(labelled, out);
    Console.out(spec)
        .println(
            "wrote " + out + " (" + labelled.size() + (labelled.size() == 1 ? " run)" : " runs)"));
    return 0;
  }
}
