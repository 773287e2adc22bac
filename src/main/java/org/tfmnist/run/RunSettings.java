package org.tfmnist.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.LearningRate;
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.TrainingPlan;

/**
 * Everything that defines a training run, as every training command ({@code beginners}, {@code
 * experts}, {@code train}, {@code digits}) records it in the run directory's {@code
 * run.properties}: {@code --resume} rebuilds the same run from it. Build one with {@link
 * #builder(String)}, which holds every default, and change one with {@link #toBuilder()}.
 *
 * @param command the command that started the run
 * @param model the model's zoo name ("softmax", "cnn", "mlp512", ...)
 * @param dataset the data set's name ("mnist", "fashion-mnist", "digits")
 * @param dataPath its directory (IDX files) or file (digits CSV), absolute
 * @param steps training steps, or 0 when {@code epochs} is given
 * @param epochs passes over the training set, or 0 when {@code steps} is given
 * @param batch mini-batch size
 * @param optimizer {@link OptimizerKind#SGD} or {@link OptimizerKind#ADAM}
 * @param learningRate the optimiser's learning rate
 * @param keepProb dropout keep probability while training (1 without dropout)
 * @param seed seeds shuffling, initial weights, dropout masks and label shuffling
 * @param logEvery steps between the tutorial's "training accuracy" lines
 * @param validationSplit fraction of the training set held out for validation (0: none)
 * @param shuffleLabels whether the training labels are permuted (the memorisation experiment)
 * @param lrSchedule {@link LearningRateSchedule#CONSTANT} (the tutorials) or {@link
 *     LearningRateSchedule#COSINE} (decay to 0 over {@code steps}, as {@code experts --fast}
 *     trains)
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
    OptimizerKind optimizer,
    float learningRate,
    float keepProb,
    long seed,
    int logEvery,
    double validationSplit,
    boolean shuffleLabels,
    LearningRateSchedule lrSchedule,
    int augmentShift,
    Precision precision,
    RunVariant variant) {

  /** Largest {@code augmentShift} accepted. */
  public static final int MAX_SHIFT = 8;

  /** Largest batch accepted before the data is known (the training set bounds it further). */
  public static final int MAX_BATCH = 1 << 20;

  /** Rejects missing names and enums (numbers are checked by {@link #problem(int)}). */
  public RunSettings {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(dataPath, "dataPath");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(lrSchedule, "lrSchedule");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(variant, "variant");
  }

  /** A builder for a run of {@code command}, holding every setting's default. */
  public static RunSettingsBuilder builder(String command) {
    return new RunSettingsBuilder(command);
  }

  /** A builder that starts from these settings. */
  public RunSettingsBuilder toBuilder() {
    return new RunSettingsBuilder(this);
  }

  /** Whether the run trains in bfloat16 mixed precision. */
  public boolean bfloat16() {
    return precision == Precision.BFLOAT16;
  }

  /** The session options this run trains with. */
  public SessionOptions sessionOptions() {
    return SessionOptions.standard().withBfloat16(bfloat16());
  }

  /** The learning rate as the optimiser builds it: the schedule decays over the run's steps. */
  public LearningRate learningRateSchedule() {
    return lrSchedule == LearningRateSchedule.CONSTANT
        ? LearningRate.constant(learningRate)
        : new LearningRate(learningRate, lrSchedule, steps);
  }

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
    if (lrSchedule != LearningRateSchedule.CONSTANT && epochs > 0) {
      return "a "
          + lrSchedule.id()
          + " learning-rate schedule decays over --steps; give --steps, not --epochs";
    }
    if (augmentShift < 0 || augmentShift > MAX_SHIFT) {
      return "augment-shift must be in 0.." + MAX_SHIFT + ", got " + augmentShift;
    }
    return variant.problem(trainSize, validationSplit);
  }

  /**
   * Writes {@code run.properties} into {@code runDir}, with {@code extra} facts (e.g. the parameter
   * count).
   */
  public void write(Path runDir, Map<String, String> extra) throws TfmnistException {
    RunProperties.write(this, runDir, extra);
  }

  /**
   * Reads the settings of the run in {@code runDir}, which {@code command} must have started. Runs
   * recorded before the zoo existed lack model and optimiser: they were the tutorials'.
   */
  public static RunSettings read(Path runDir, String command) throws TfmnistException {
    return RunProperties.read(runDir, command);
  }
}
