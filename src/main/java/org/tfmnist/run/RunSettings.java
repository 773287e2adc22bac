package org.tfmnist.run;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.LearningRate;
import org.tfmnist.model.Optimizers;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.TrainingPlan;

/**
 * Everything that defines a training run, as every training command ({@code beginners}, {@code
 * experts}, {@code train}, {@code digits}) records it in the run directory's {@code
 * run.properties}: {@code --resume} rebuilds the same run from it.
 *
 * @param command the command that started the run
 * @param model the model's zoo name ("softmax", "cnn", "mlp512", ...)
 * @param dataset the data set's name ("mnist", "fashion-mnist", "digits")
 * @param dataPath its directory (IDX files) or file (digits CSV), absolute
 * @param steps training steps, or 0 when {@code epochs} is given
 * @param epochs passes over the training set, or 0 when {@code steps} is given
 * @param batch mini-batch size
 * @param optimizer "sgd" or "adam"
 * @param learningRate the optimiser's learning rate
 * @param keepProb dropout keep probability while training (1 without dropout)
 * @param seed seeds shuffling, initial weights, dropout masks and label shuffling
 * @param logEvery steps between the tutorial's "training accuracy" lines
 * @param validationSplit fraction of the training set held out for validation (0: none)
 * @param shuffleLabels whether the training labels are permuted (the memorisation experiment)
 * @param lrSchedule "constant" (the tutorials) or "cosine" (decay to 0 over {@code steps}, as
 *     {@code experts --fast} trains)
 * @param augmentShift largest random shift of the training images in pixels (0: none; 1 with {@code
 *     experts --fast})
 * @param precision {@link Precision#FLOAT32} (the tutorials) or {@link Precision#BFLOAT16} mixed
 *     precision ({@code experts --fast} on CPUs with native bfloat16)
 * @param variant where the run follows a write-up: loss summed, constant bias, validation head
 */
public record RunSettings(
    String command,
    String model,
    String dataset,
    Path dataPath,
    long steps,
    int epochs,
    int batch,
    String optimizer,
    float learningRate,
    float keepProb,
    long seed,
    int logEvery,
    double validationSplit,
    boolean shuffleLabels,
    String lrSchedule,
    int augmentShift,
    String precision,
    RunVariant variant) {

  /** Largest {@code augmentShift} accepted. */
  public static final int MAX_SHIFT = 8;

  /** Settings with a constant learning rate (every command but {@code experts --fast}). */
  public RunSettings(
      String command,
      String model,
      String dataset,
      Path dataPath,
      long steps,
      int epochs,
      int batch,
      String optimizer,
      float learningRate,
      float keepProb,
      long seed,
      int logEvery,
      double validationSplit,
      boolean shuffleLabels) {
    this(
        command,
        model,
        dataset,
        dataPath,
        steps,
        epochs,
        batch,
        optimizer,
        learningRate,
        keepProb,
        seed,
        logEvery,
        validationSplit,
        shuffleLabels,
        LearningRate.CONSTANT,
        0,
        Precision.FLOAT32,
        RunVariant.NONE);
  }

  /** These settings in {@code precision} instead. */
  public RunSettings withPrecision(String precision) {
    return new RunSettings(
        command,
        model,
        dataset,
        dataPath,
        steps,
        epochs,
        batch,
        optimizer,
        learningRate,
        keepProb,
        seed,
        logEvery,
        validationSplit,
        shuffleLabels,
        lrSchedule,
        augmentShift,
        precision,
        variant);
  }

  /** Whether the run trains in bfloat16 mixed precision. */
  public boolean bfloat16() {
    return precision.equals(Precision.BFLOAT16);
  }

  /** The session options this run trains with. */
  public SessionOptions sessionOptions() {
    return SessionOptions.standard().withBfloat16(bfloat16());
  }

  /** The learning rate as the optimiser builds it: the schedule decays over the run's steps. */
  public LearningRate learningRateSchedule() {
    return lrSchedule.equals(LearningRate.CONSTANT)
        ? LearningRate.constant(learningRate)
        : new LearningRate(learningRate, lrSchedule, steps);
  }

  /** Largest batch accepted before the data is known (the training set bounds it further). */
  public static final int MAX_BATCH = 1 << 20;

  /** Total steps for a training set of {@code trainSize} examples. */
  public long totalSteps(int trainSize) {
    return epochs > 0 ? TrainingPlan.stepsForEpochs(epochs, trainSize, batch) : steps;
  }

  /** The data as this run trains on it: labels shuffled, validation held out, if asked. */
  public DataSplits prepare(DataSplits splits) {
    DataSplits prepared = shuffleLabels ? splits.withShuffledTrainingLabels(seed) : splits;
    return variant.prepare(prepared, validationSplit);
  }

  /**
   * What is wrong with these settings for a training set of {@code trainSize} examples (0: not
   * known yet), named as the option that sets it, or null.
   */
  public String problem(int trainSize) {
    if (batch < 1 || batch > MAX_BATCH) {
      return "--batch must be in 1.." + MAX_BATCH + ", got " + batch;
    }
    if (trainSize > 0 && batch > trainSize) {
      return "--batch must be at most the training set's size ("
          + trainSize
          + " examples), got "
          + batch;
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
    if (epochs < 0 || steps < 0 || (epochs == 0 && steps < 1)) {
      return "--steps and --epochs must be >= 1, got steps " + steps + ", epochs " + epochs;
    }
    if (!LearningRate.SCHEDULES.contains(lrSchedule)) {
      return "lr-schedule must be one of "
          + String.join(", ", LearningRate.SCHEDULES)
          + ", got "
          + lrSchedule;
    }
    if (!lrSchedule.equals(LearningRate.CONSTANT) && epochs > 0) {
      return "a "
          + lrSchedule
          + " learning-rate schedule decays over --steps; give --steps, not --epochs";
    }
    if (augmentShift < 0 || augmentShift > MAX_SHIFT) {
      return "augment-shift must be in 0.." + MAX_SHIFT + ", got " + augmentShift;
    }
    if (!Precision.NAMES.contains(precision)) {
      return "--precision must be one of "
          + String.join(", ", Precision.NAMES)
          + ", got "
          + precision;
    }
    if (!Optimizers.NAMES.contains(optimizer)) {
      return "--optimizer must be one of "
          + String.join(", ", Optimizers.NAMES)
          + ", got "
          + optimizer;
    }
    return variant.problem(trainSize, validationSplit);
  }

  /**
   * Writes {@code run.properties} into {@code runDir}, with {@code extra} facts (e.g. the parameter
   * count).
   */
  public void write(Path runDir, Map<String, String> extra) throws TfmnistException {
    Properties p = new Properties();
    p.setProperty("command", command);
    p.setProperty("model", model);
    p.setProperty("dataset", dataset);
    p.setProperty("data-dir", dataPath.toAbsolutePath().normalize().toString());
    p.setProperty("steps", Long.toString(steps));
    p.setProperty("epochs", Integer.toString(epochs));
    p.setProperty("batch", Integer.toString(batch));
    p.setProperty("optimizer", optimizer);
    p.setProperty("learning-rate", Float.toString(learningRate));
    p.setProperty("keep-prob", Float.toString(keepProb));
    p.setProperty("seed", Long.toString(seed));
    p.setProperty("log-every", Integer.toString(logEvery));
    p.setProperty("validation-split", Double.toString(validationSplit));
    p.setProperty("shuffle-labels", Boolean.toString(shuffleLabels));
    p.setProperty("lr-schedule", lrSchedule);
    p.setProperty("augment-shift", Integer.toString(augmentShift));
    p.setProperty("precision", precision);
    variant.write(p);
    extra.forEach(p::setProperty);
    RunDirectory.writeSettings(runDir, p);
  }

  /**
   * Reads the settings of the run in {@code runDir}, which {@code command} must have started. Runs
   * recorded before the zoo existed lack model and optimiser: they were the tutorials'.
   */
  public static RunSettings read(Path runDir, String command) throws TfmnistException {
    Properties p = RunDirectory.readSettings(runDir);
    Path file = runDir.resolve(RunDirectory.SETTINGS);
    String recorded = p.getProperty("command");
    if (recorded != null && !recorded.equals(command)) {
      throw new TfmnistException(
          runDir
              + ": is a '"
              + recorded
              + "' run; continue it with: "
              + recorded
              + " --resume "
              + runDir);
    }
    boolean beginners = command.equals("beginners");
    RunSettings settings;
    try {
      settings =
          new RunSettings(
              command,
              p.getProperty("model", beginners ? "softmax" : "cnn").trim(),
              p.getProperty("dataset", "mnist").trim(),
              Path.of(required(p, file, "data-dir")),
              Long.parseLong(required(p, file, "steps")),
              Integer.parseInt(required(p, file, "epochs")),
              Integer.parseInt(required(p, file, "batch")),
              p.getProperty("optimizer", beginners ? Optimizers.SGD : Optimizers.ADAM)
                  .trim()
                  .toLowerCase(Locale.ROOT),
              Float.parseFloat(required(p, file, "learning-rate")),
              Float.parseFloat(required(p, file, "keep-prob")),
              Long.parseLong(required(p, file, "seed")),
              Integer.parseInt(required(p, file, "log-every")),
              Double.parseDouble(p.getProperty("validation-split", "0").trim()),
              Boolean.parseBoolean(p.getProperty("shuffle-labels", "false").trim()),
              p.getProperty("lr-schedule", LearningRate.CONSTANT).trim().toLowerCase(Locale.ROOT),
              Integer.parseInt(p.getProperty("augment-shift", "0").trim()),
              p.getProperty("precision", Precision.FLOAT32).trim().toLowerCase(Locale.ROOT),
              RunVariant.read(p, file));
    } catch (NumberFormatException e) {
      throw new TfmnistException(file + ": malformed number: " + e.getMessage(), e);
    }
    String problem = settings.problem(0);
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
}
