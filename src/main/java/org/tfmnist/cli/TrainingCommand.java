package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.cluster.ClusterConfig;
import org.tfmnist.cluster.ClusterConfigException;
import org.tfmnist.cluster.ClusterServer;
import org.tfmnist.cluster.ClusterTarget;
import org.tfmnist.cluster.ClusterTraining;
import org.tfmnist.cluster.EvaluatorTask;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.run.ModelExporter;
import org.tfmnist.run.RunDirectory;
import org.tfmnist.run.RunSettings;
import org.tfmnist.run.RunSettingsBuilder;
import org.tfmnist.run.RunTarget;
import org.tfmnist.run.TrainingRun;
import org.tfmnist.runtime.Precision;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.listeners.TensorBoardLogger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options and flow every training command shares ({@code beginners}, {@code experts}, {@code
 * train}, {@code digits}): settings from the options or, with {@code --resume}, from the run
 * directory; the data; the model; then {@link TrainingRun} does the rest. Subclasses name their
 * model, data and defaults (through a picocli default-value provider).
 */
abstract class TrainingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Length length = new Length();

  /** {@code --steps} or {@code --epochs}, not both. */
  static final class Length {
    @Option(names = "--steps", paramLabel = "N", description = "Training steps (mini-batches).")
    Long steps;

    @Option(
        names = "--epochs",
        paramLabel = "N",
        description = "Passes over the training set, instead of --steps.")
    Integer epochs;
  }

  @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size.")
  int batch;

  @Option(names = "--learning-rate", paramLabel = "RATE", description = "Learning rate.")
  Float learningRate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed for shuffling and random ops: the same seed repeats a run.")
  long seed;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description = "Print the training accuracy every N steps.")
  int logEvery;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description =
          "Where metrics.csv, checkpoint/, the plots and saved_model/ go (default: results/<command>-<timestamp>).")
  Path runDir;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description =
          "Continue an interrupted run from its last checkpoint, with its saved settings.")
  Path resume;

  @Option(
      names = "--tensorboard",
      paramLabel = "DIR",
      description =
          "Where TensorBoard's event files go (default: RUN_DIR/logs); allowed beside --resume.")
  Path tensorboard;

  @Option(
      names = "--precision",
      paramLabel = "P",
      description =
          "float32 (the tutorials) or bfloat16: mixed"
              + " precision, convolutions and matrix products in bfloat16, weights and updates in float32 (default: float32;"
              + " experts --fast: bfloat16 where the CPU has it natively).")
  String precision;

  @Mixin DebugOption debug = new DebugOption();

  @Mixin ClusterOptions clusterOptions = new ClusterOptions();
  List<TrainingListener> listeners = List.of(); // told after the run's own: a test's; CLI: none

  /** Options that say where output goes, not how to train: allowed beside {@code --resume}. */
  private static final List<String> RESUME_COMPANIONS =
      List.of(
          "--resume",
          "--debug",
          "--tensorboard",
          "--export-base",
          "--ps_hosts",
          "--worker_hosts",
          "--job_name",
          "--task_index",
          "--sync-replicas",
          "--replicas-to-aggregate");

  /** The settings the options give (validated by the caller). */
  abstract RunSettings settingsFromOptions(long steps, int epochs);

  /** Loads (downloading if needed) the data {@code settings} name, before any preparation. */
  abstract DataSplits load(RunSettings settings, PrintStream out) throws TfmnistException;

  /** The model {@code settings} name. */
  abstract ModelBuilder builder(RunSettings settings) throws TfmnistException;

  /** What the run exports at its end (the SavedModel), or empty. */
  abstract Optional<ModelExporter> exporter(RunSettings settings);

  /** Called after a new or resumed run finished, with its directory (e.g. to trace an example). */
  void afterRun(RunSettings settings, DataSplits splits, Path dir) throws TfmnistException {}

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = Console.out(spec);
    if (resume != null) {
      rejectOptionsBesideResume();
    }
    Optional<ClusterConfig> cluster = clusterOptions.resolve();
    int aggregate = clusterOptions.aggregate(cluster);
    if (cluster.isPresent() && resume != null) {
      throw new ClusterConfigException(
          "--resume: a cluster's chief resumes by itself from --run-dir's last checkpoint");
    }
    if (cluster.isPresent() && cluster.get().isEvaluator()) {
      return evaluate(cluster.get(), out);
    }
    ClusterServer server =
        cluster.isPresent() ? ClusterTraining.startServer(cluster.get(), out) : null;
    if (cluster.isPresent() && cluster.get().isPs()) {
      ClusterTraining.serve(cluster.get(), server, out);
      return 0;
    }
    RunSettings settings =
        resume != null ? RunSettings.read(resume, spec.name()) : validatedOptions();
    DataSplits prepared = settings.prepare(load(settings, out));
    String problem = settings.problem(prepared.train().size());
    if (problem != null) {
      if (resume != null) {
        throw new TfmnistException(resume.resolve(RunDirectory.SETTINGS) + ": " + problem);
      }
      throw new ParameterException(spec.commandLine(), problem);
    }
    TensorBoardDir.create(spec, tensorboard);
    TrainingRun run =
        new TrainingRun(
            settings,
            builder(settings),
            exporter(settings),
            out,
            new TrainingRun.Output(
                Terminal.interactive() && out == System.out,
                tensorboard,
                Console.err(spec),
                listeners),
            cluster.<RunTarget>map(c -> new ClusterTarget(c, aggregate)).orElse(RunTarget.LOCAL));
    Path dir;
    if (cluster.isPresent()) {
      dir =
          ClusterTraining.train(
              cluster.get(), aggregate > 0, run, runDir, prepared, Console.err(spec));
      if (dir == null) {
        return 0; // a worker writes nothing
      }
    } else if (resume != null) {
      run.resume(resume, prepared);
      dir = resume;
    } else {
      dir = run.start(runDir, prepared);
    }
    afterRun(settings, prepared, dir);
    return 0;
  }

  /** The evaluator: evaluates the chief's checkpoints in {@code --run-dir} until the last. */
  private int evaluate(ClusterConfig config, PrintStream out) throws TfmnistException {
    if (runDir == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--run-dir: the evaluator reads the chief's run directory; give the chief's --run-dir");
    }
    RunSettings settings = validatedOptions();
    DataSplits prepared = settings.prepare(load(settings, out));
    TensorBoardDir.create(spec, tensorboard);
    new EvaluatorTask(config, builder(settings), settings.sessionOptions(), out)
        .run(
            runDir,
            settings.totalSteps(prepared.train().size()),
            prepared.test(),
            tensorboard != null ? tensorboard : runDir.resolve(TensorBoardLogger.DIR_NAME));
    return 0;
  }

  private RunSettings validatedOptions() {
    long steps = 0;
    int epochs = 0;
    if (length.epochs != null) {
      epochs = length.epochs;
    } else if (length.steps != null) {
      steps = length.steps;
    } else if (defaultValue("--epochs") != null) {
      epochs = Integer.parseInt(defaultValue("--epochs"));
    } else {
      steps = Long.parseLong(defaultValue("--steps"));
    }
    RunSettings settings = settingsFromOptions(steps, epochs);
    if (precision != null) {
      settings =
          settings.toBuilder()
              .precision(NamedOption.parse(spec, "--precision", precision, Precision::parse))
              .build();
    }
    String problem = settings.problem(0);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return settings;
  }

  /**
   * The settings every command takes from the shared options: its name, the length, batch, seed and
   * logging. {@code datasetName()} and {@code dataPath} are the subclass's to add.
   */
  RunSettingsBuilder common(long steps, int epochs) {
    return RunSettings.builder(spec.name())
        .steps(steps)
        .epochs(epochs)
        .batch(batch)
        .seed(seed)
        .logEvery(logEvery);
  }

  /** The learning rate given, or {@code fallback} (the command's or optimiser's default). */
  float learningRateOr(float fallback) {
    return learningRate != null ? learningRate : fallback;
  }

  /**
   * {@code --resume} reuses the run's saved settings: any other setting would be ignored, so refuse
   * it.
   */
  private void rejectOptionsBesideResume() {
    List<String> given = new ArrayList<>();
    for (var option : spec.commandLine().getParseResult().matchedOptions()) {
      String name = option.longestName();
      if (!RESUME_COMPANIONS.contains(name)) {
        given.add(name);
      }
    }
    if (!given.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--resume continues with the run's saved settings ("
              + RunDirectory.SETTINGS
              + "); remove "
              + String.join(", ", given));
    }
  }

  private String defaultValue(String option) {
    try {
      return spec.defaultValueProvider().defaultValue(spec.findOption(option));
    } catch (Exception e) {
      throw new IllegalStateException("no default for " + option, e);
    }
  }
}
