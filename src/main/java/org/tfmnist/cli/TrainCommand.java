package org.tfmnist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.serving.SavedModelExporter;
import org.tfmnist.train.Checkpoints;
import org.tfmnist.train.MetricsCsv;
import org.tfmnist.train.TensorBoardLogger;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingPlan;
import org.tfmnist.train.TrainingSummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What both tutorial commands do: load data, build the model's graph, train it with the console,
 * CSV and checkpoint listeners, print the final test accuracy and export a SavedModel. Subclasses
 * give the model and the tutorial's defaults (through a picocli default-value provider).
 */
abstract class TrainCommand implements Callable<Integer> {
  static final String SAVED_MODEL = "saved_model";

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @ArgGroup(exclusive = true)
  Length length = new Length();

  /** {@code --steps} or {@code --epochs}, not both. */
  static final class Length {
    @Option(names = "--steps", paramLabel = "N", description = "Training steps (mini-batches) (default: ${DEFAULT-VALUE}).")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Train for N passes over the training set instead of --steps.")
    Integer epochs;
  }

  @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--learning-rate", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", paramLabel = "N", description = "Seed for shuffling and random ops: the same seed repeats a run (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--log-every", paramLabel = "N", description = "Print the training accuracy every N steps (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Where metrics.csv, checkpoint/ and saved_model/ go (default: results/<command>-<timestamp>).")
  Path runDir;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run from its last checkpoint, with its saved settings.")
  Path resume;

  @Option(names = "--tensorboard", paramLabel = "DIR", description = "Where TensorBoard's event files go (default: RUN_DIR/logs); allowed beside --resume.")
  Path tensorboard;

  @Mixin DebugOption debug = new DebugOption();

  /** The model this command trains, built with {@code settings}. */
  abstract ModelBuilder builder(Settings settings);

  /** Dropout keep probability while training (1.0 for models without dropout). */
  float keepProb() {
    return 1.0f;
  }

  @Override
  public Integer call() throws TfmnistException {
    PrintStream out = System.out;
    if (resume != null) {
      rejectOptionsBesideResume();
    }
    Settings settings = resume != null ? Settings.read(resume, spec.name()) : fromOptions();
    DataSplits splits = settings.data().loadAll(out);
    long totalSteps = settings.totalSteps(splits.train().size());
    createTensorBoardDir();
    Path dir = resume != null ? resume : RunDirectory.create(runDir, spec.name());
    if (resume == null) {
      settings.write(dir, spec.name());
    }
    out.println("run directory: " + dir);
    Path savedModel = dir.resolve(SAVED_MODEL);

    try (Graph graph = new Graph()) {
      ModelGraph model = builder(settings).build(graph);
      try (Session session = new Session(graph)) {
        long startStep = 0;
        Optional<Path> checkpoint = resume != null ? Checkpoints.latest(dir) : Optional.empty();
        if (checkpoint.isPresent()) {
          startStep = Checkpoints.restore(session, model, checkpoint.get());
          int stepsPerEpoch = TrainingPlan.stepsPerEpoch(splits.train().size(), settings.batch());
          if (startStep < totalSteps && startStep % stepsPerEpoch != 0) {
            throw new TfmnistException(checkpoint.get() + ": step " + startStep + " is not at the end of an"
                + " epoch of " + stepsPerEpoch + " steps: the training set in " + settings.data().directory()
                + " changed since the run started");
          }
        } else {
          session.initialize();
        }
        if (startStep < totalSteps) {
          train(out, settings, splits, totalSteps, dir, session, model, startStep, checkpoint);
        } else if (Files.exists(savedModel)) {
          throw new TfmnistException(dir + ": run already finished (step " + startStep + " of "
              + totalSteps + "); nothing to resume");
        } else {
          out.printf("run finished training at step %d but has no %s: exporting it%n", startStep, SAVED_MODEL);
        }
        SavedModelExporter.export(session, model, savedModel);
        out.println("saved model: " + savedModel);
      }
    }
    return 0;
  }

  /** Trains from {@code startStep} with the console, CSV and checkpoint listeners, and prints the result. */
  private void train(PrintStream out, Settings settings, DataSplits splits, long totalSteps, Path dir,
      Session session, ModelGraph model, long startStep, Optional<Path> checkpoint) throws TfmnistException {
    Path csvFile = dir.resolve(MetricsCsv.FILE_NAME);
    MetricsCsv csv;
    double elapsedBefore = 0;
    if (resume != null) {
      MetricsCsv.Resumed resumed = MetricsCsv.resume(csvFile, startStep);
      csv = resumed.csv();
      elapsedBefore = resumed.elapsedSeconds();
      out.printf("resumed from %s at step %d (%d epochs logged)%n",
          checkpoint.map(Path::toString).orElse("the start (no checkpoint yet)"), startStep, resumed.rowsKept());
    } else {
      csv = MetricsCsv.create(csvFile);
    }
    Path logDir = tensorboard != null ? tensorboard : dir.resolve(TensorBoardLogger.DIR_NAME);
    try (csv; RunListeners watch = RunListeners.of(out, settings.learningRate(), logDir)) {
      List<TrainingListener> listeners = watch.around(csv, new Checkpoints(dir));
      TrainingPlan plan = new TrainingPlan(
          totalSteps, settings.batch(), settings.keepProb(), settings.seed(), settings.logEvery(), 1000);
      TrainingSummary summary = new Trainer(model, session, listeners).fit(splits, plan, startStep, elapsedBefore);
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

  /** {@code --tensorboard DIR}: made (or found) before a run directory is, so a bad one costs nothing. */
  private void createTensorBoardDir() throws TfmnistException {
    if (tensorboard == null) {
      return;
    }
    if (Files.exists(tensorboard) && !Files.isDirectory(tensorboard)) {
      throw new ParameterException(spec.commandLine(), "--tensorboard " + tensorboard + ": not a directory");
    }
    try {
      Files.createDirectories(tensorboard);
    } catch (IOException e) {
      String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory" : e.getClass().getSimpleName();
      throw new TfmnistException(tensorboard + ": cannot create the TensorBoard directory: " + reason, e);
    }
  }

  /** {@code --resume} reuses the run's saved settings: any other setting would be ignored, so refuse it. */
  private void rejectOptionsBesideResume() {
    List<String> given = new ArrayList<>();
    for (var option : spec.commandLine().getParseResult().matchedOptions()) {
      String name = option.longestName();
      if (!name.equals("--resume") && !name.equals("--debug") && !name.equals("--tensorboard")) {
        given.add(name);
      }
    }
    if (!given.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "--resume continues with the run's saved settings (" + RunDirectory.SETTINGS
              + "); remove " + String.join(", ", given));
    }
  }

  private Settings fromOptions() {
    long steps = length.steps != null ? length.steps : defaultSteps();
    Settings settings = new Settings(data, length.epochs != null ? 0 : steps,
        length.epochs != null ? length.epochs : 0, batch, learningRate, keepProb(), seed, logEvery);
    String problem = settings.problem();
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return settings;
  }

  private long defaultSteps() {
    try {
      return Long.parseLong(spec.defaultValueProvider().defaultValue(spec.findOption("--steps")));
    } catch (Exception e) {
      throw new IllegalStateException("no default for --steps", e);
    }
  }

  /** A run's settings: from the options, or from {@code run.properties} when resuming. */
  record Settings(DataOptions data, long steps, int epochs, int batch, float learningRate,
      float keepProb, long seed, int logEvery) {

    long totalSteps(int trainSize) {
      return epochs > 0 ? TrainingPlan.stepsForEpochs(epochs, trainSize, batch) : steps;
    }

    void write(Path runDir, String command) throws TfmnistException {
      Properties p = new Properties();
      p.setProperty("command", command);
      p.setProperty("dataset", data.dataset);
      p.setProperty("data-dir", data.directory().toAbsolutePath().normalize().toString());
      p.setProperty("steps", Long.toString(steps));
      p.setProperty("epochs", Integer.toString(epochs));
      p.setProperty("batch", Integer.toString(batch));
      p.setProperty("learning-rate", Float.toString(learningRate));
      p.setProperty("keep-prob", Float.toString(keepProb));
      p.setProperty("seed", Long.toString(seed));
      p.setProperty("log-every", Integer.toString(logEvery));
      RunDirectory.writeSettings(runDir, p);
    }

    static Settings read(Path runDir, String command) throws TfmnistException {
      Properties p = RunDirectory.readSettings(runDir);
      Path file = runDir.resolve(RunDirectory.SETTINGS);
      String recorded = p.getProperty("command");
      if (recorded != null && !recorded.equals(command)) {
        throw new TfmnistException(runDir + ": is a '" + recorded + "' run; continue it with: "
            + recorded + " --resume " + runDir);
      }
      DataOptions data = new DataOptions();
      data.dataset = p.getProperty("dataset", "mnist");
      data.dataDir = Path.of(required(p, file, "data-dir"));
      Settings settings;
      try {
        settings = new Settings(
            data,
            Long.parseLong(required(p, file, "steps")),
            Integer.parseInt(required(p, file, "epochs")),
            Integer.parseInt(required(p, file, "batch")),
            Float.parseFloat(required(p, file, "learning-rate")),
            Float.parseFloat(required(p, file, "keep-prob")),
            Long.parseLong(required(p, file, "seed")),
            Integer.parseInt(required(p, file, "log-every")));
      } catch (NumberFormatException e) {
        throw new TfmnistException(file + ": malformed number: " + e.getMessage(), e);
      }
      String problem = settings.problem();
      if (problem != null) {
        throw new TfmnistException(file + ": " + problem);
      }
      return settings;
    }

    private static String required(Properties p, Path file, String key) throws TfmnistException {
      String value = p.getProperty(key);
      if (value == null || value.isBlank()) {
        throw new TfmnistException(file + ": missing '" + key + "'");
      }
      return value.trim();
    }

    /** What is wrong with these settings, named as the option that sets it, or null. */
    String problem() {
      if (batch < 1) {
        return "--batch must be >= 1, got " + batch;
      }
      if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
        return "--learning-rate must be > 0, got " + learningRate;
      }
      if (!(keepProb > 0 && keepProb <= 1)) {
        return "--keep-prob must be in (0, 1], got " + keepProb;
      }
      if (logEvery < 1) {
        return "--log-every must be >= 1, got " + logEvery;
      }
      if (epochs < 0 || (epochs == 0 && steps < 1)) {
        return "--steps and --epochs must be >= 1, got steps " + steps + ", epochs " + epochs;
      }
      return null;
    }
  }
}
