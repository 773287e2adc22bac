package org.tfmnist.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TInt64;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingPlan;
import org.tfmnist.train.TrainingSummary;
import org.tfmnist.train.listeners.Checkpoints;
import org.tfmnist.train.listeners.ConsoleProgress;
import org.tfmnist.train.listeners.MetricsCsv;
import org.tfmnist.train.listeners.TensorBoardLogger;
import org.tfmnist.train.listeners.TrainingPlots;

/**
 * What every training command shares: a run directory with its {@code run.properties}, the graph
 * and session, the standard listeners (divergence guard, console or progress bar, {@code
 * metrics.csv}, checkpoints, plots, TensorBoard), the final test figures, and the export at the
 * end; or, with {@link #resume}, the same run continued from its last checkpoint. Commands only
 * parse options, load data and pick the model.
 */
public final class TrainingRun {
  private final RunSettings settings;
  private final ModelBuilder builder;
  private final Optional<ModelExporter> exporter;
  private final PrintStream out;
  private final Output output;
  private final RunTarget target;

  /**
   * Where a run reports besides its run directory: a progress bar instead of plain lines (on a
   * terminal), TensorBoard's event files in {@code tensorBoardDir} (null: {@code RUN_DIR/logs}),
   * warnings (e.g. an old checkpoint that could not be deleted) on {@code warnings}, and {@code
   * listeners} told after the standard ones (a caller's own hooks; the commands add none).
   */
  public record Output(
      boolean progressBar,
      Path tensorBoardDir,
      PrintStream warnings,
      List<TrainingListener> listeners) {
    /** Plain lines, event files in {@code RUN_DIR/logs}, warnings on {@code System.err}. */
    public static final Output PLAIN = new Output(false, null, System.err);

    /** With no listeners of the caller's own. */
    public Output(boolean progressBar, Path tensorBoardDir, PrintStream warnings) {
      this(progressBar, tensorBoardDir, warnings, List.of());
    }
  }

  /** {@code exporter} may be empty for models with no serving contract (the 8x8 digits). */
  public TrainingRun(
      RunSettings settings,
      ModelBuilder builder,
      Optional<ModelExporter> exporter,
      PrintStream out,
      Output output) {
    this(settings, builder, exporter, out, output, RunTarget.LOCAL);
  }

  /** A run on {@code target}: this process, or one task of a cluster. */
  public TrainingRun(
      RunSettings settings,
      ModelBuilder builder,
      Optional<ModelExporter> exporter,
      PrintStream out,
      Output output,
      RunTarget target) {
    this.settings = settings;
    this.builder = builder;
    this.exporter = exporter;
    this.out = out;
    this.output = output;
    this.target = target;
  }

  /**
   * Starts a new run on {@code splits} (already prepared with {@link RunSettings#prepare}) in
   * {@code requestedDir}, or in {@code results/<command>-<timestamp>} when it is null.
   */
  public Path start(Path requestedDir, DataSplits splits) throws TfmnistException {
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph, target.placement());
      Path dir = RunDirectory.create(requestedDir, settings.command());
      Map<String, String> extra = new java.util.TreeMap<>(target.describe(graph));
      extra.put("parameters", Long.toString(model.parameterCount()));
      settings.write(dir, extra);
      out.println("run directory: " + dir);
      warnIfBfloat16IsEmulated();
      try (Session session = target.open(graph, settings.sessionOptions())) {
        session.initialize();
        target.prepared(session);
        train(dir, splits, session, model, 0, Optional.empty(), false);
        export(session, model, dir);
        target.finished(session);
      }
      return dir;
    }
  }

  /** Continues the run in {@code dir} from its latest checkpoint (or its start, if it has none). */
  public void resume(Path dir, DataSplits splits) throws TfmnistException {
    long totalSteps = settings.totalSteps(splits.train().size());
    out.println("run directory: " + dir);
    warnIfBfloat16IsEmulated();
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph, target.placement());
      try (Session session = target.open(graph, settings.sessionOptions())) {
        Optional<Path> checkpoint = Checkpoints.latest(dir);
        long startStep = 0;
        if (checkpoint.isPresent()) {
          startStep = Checkpoints.restore(session, model, checkpoint.get());
          int stepsPerEpoch = TrainingPlan.stepsPerEpoch(splits.train().size(), settings.batch());
          if (startStep < totalSteps && startStep % stepsPerEpoch != 0 && !cluster()) {
            throw new TfmnistException(
                checkpoint.get()
                    + ": step "
                    + startStep
                    + " is not at the end of an"
                    + " epoch of "
                    + stepsPerEpoch
                    + " steps: the training set in "
                    + settings.dataPath()
                    + " changed since the run started");
          }
        } else {
          session.initialize();
        }
        target.prepared(session);
        if (startStep < totalSteps) {
          train(dir, splits, session, model, startStep, checkpoint, true);
        } else if (cluster() && (exporter.isEmpty() || exporter.get().isExported(dir))) {
          // a cluster's chief started again on its finished run (a job applied again): end it
          out.printf(
              "run already finished (step %d of %d): nothing to train%n", startStep, totalSteps);
          target.finished(session);
          return;
        } else if (exporter.isEmpty() || exporter.get().isExported(dir)) {
          throw new TfmnistException(
              dir
                  + ": run already finished (step "
                  + startStep
                  + " of "
                  + totalSteps
                  + "); nothing to resume");
        } else {
          out.printf(
              "run finished training at step %d but was not exported: exporting it%n", startStep);
          new TrainingPlots(dir).draw(); // they may have been lost with the export (a full disk)
        }
        export(session, model, dir);
        target.finished(session);
      }
    }
  }

  /**
   * A non-chief task of a cluster: waits for the chief's variables, trains on its shard until the
   * shared global step reaches the end, and writes no file.
   */
  public void follow(DataSplits splits) throws TfmnistException {
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph, target.placement());
      try (Session session = target.open(graph, settings.sessionOptions())) {
        target.awaitVariables(session, model);
        long startStep; // a restarted worker joins where the run is, not at its first batch
        try (Result result = session.runner().fetch(model.globalStep()).run()) {
          startStep = ((TInt64) result.get(0)).getLong();
        }
        List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(out)));
        listeners.addAll(output.listeners());
        TrainingSummary summary =
            new Trainer(model, session, listeners, target.replica(splits))
                .fit(target.shard(splits, settings.seed()), plan(splits), startStep, 0);
        out.printf(
            Locale.ROOT,
            "run finished at global step %d; this worker trained %.0f examples/s%n",
            summary.finalStep(),
            summary.examplesPerSecond());
      }
    }
  }

  private boolean cluster() {
    return target != RunTarget.LOCAL;
  }

  private TrainingPlan plan(DataSplits splits) {
    return new TrainingPlan(
        settings.totalSteps(splits.train().size()),
        settings.batch(),
        settings.keepProb(),
        settings.seed(),
        settings.logEvery(),
        1000,
        settings.augmentShift());
  }

  private void warnIfBfloat16IsEmulated() {
    settings.precision().emulationWarning("train").ifPresent(out::println);
  }

  private void export(Session session, ModelGraph model, Path dir) throws TfmnistException {
    if (exporter.isEmpty()) {
      return;
    }
    if (!cluster()) {
      exporter.get().export(session, model, dir);
      return;
    }
    // The cluster's graph names ps devices: export a device-free graph restored from the last
    // checkpoint (saved at the final step), as TF1 exported with clear_devices.
    try (Graph graph = new Graph()) {
      ModelGraph local = builder.build(graph);
      try (Session restored = settings.sessionOptions().open(graph)) {
        Checkpoints.restore(restored, local, Checkpoints.latest(dir).orElseThrow());
        exporter.get().export(restored, local, dir);
      }
    }
  }

  /**
   * Every epoch's checkpoint is kept for a digits run (2.6 KB each), whose write-up traces an
   * example after epoch 11 ({@code digits --explain-epoch}); other runs keep the latest.
   */
  private Checkpoints checkpoints(Path dir) {
    return new Checkpoints(dir, output.warnings(), settings.dataset().equals("digits"));
  }

  /** Trains from {@code startStep} with the standard listeners, and prints the result. */
  private void train(
      Path dir,
      DataSplits splits,
      Session session,
      ModelGraph model,
      long startStep,
      Optional<Path> checkpoint,
      boolean resuming)
      throws TfmnistException {
    Path csvFile = dir.resolve(MetricsCsv.FILE_NAME);
    MetricsCsv csv;
    double elapsedBefore = 0;
    if (resuming) {
      MetricsCsv.Resumed resumed =
          MetricsCsv.resume(csvFile, startStep, splits.validation() != null);
      csv = resumed.csv();
      elapsedBefore = resumed.elapsedSeconds();
      out.printf(
          "resumed from %s at step %d (%d epochs logged)%n",
          checkpoint.map(Path::toString).orElse("the start (no checkpoint yet)"),
          startStep,
          resumed.rowsKept());
    } else {
      csv = MetricsCsv.create(csvFile, splits.validation() != null);
    }
    Path logDir =
        output.tensorBoardDir() != null
            ? output.tensorBoardDir()
            : dir.resolve(TensorBoardLogger.DIR_NAME);
    try (csv;
        RunListeners watch =
            RunListeners.of(out, output.progressBar(), settings.learningRate(), logDir)) {
      List<TrainingListener> listeners =
          new ArrayList<>(watch.around(csv, checkpoints(dir), new TrainingPlots(dir)));
      listeners.addAll(output.listeners());
      TrainingSummary summary =
          new Trainer(model, session, listeners, target.replica(splits))
              .fit(target.shard(splits, settings.seed()), plan(splits), startStep, elapsedBefore);
      out.printf(Locale.ROOT, "test accuracy %.4f%n", summary.test().accuracy());
      out.printf(
          Locale.ROOT,
          "%d steps in %.1f s, %.1f s of it test evaluation; training %.0f examples/s%n",
          summary.finalStep() - startStep,
          summary.wallSeconds(),
          summary.evaluationSeconds(),
          summary.examplesPerSecond());
    } catch (IOException e) {
      throw new TfmnistException(csvFile + ": cannot close: " + e.getMessage(), e);
    }
  }
}
