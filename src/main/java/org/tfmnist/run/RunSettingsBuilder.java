package org.tfmnist.run;

import java.nio.file.Path;
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.runtime.Precision;

/**
 * Builds {@link RunSettings} by name, from {@link RunSettings#builder(String)} or {@link
 * RunSettings#toBuilder()}. Each setting's default lives here and only here: the tutorials' MNIST,
 * gradient descent at its default rate, no dropout, float32, a constant rate, no augmentation, no
 * validation split, no write-up variant. {@code model} and {@code dataPath} have no default.
 */
public final class RunSettingsBuilder {
  private final String command;
  private String model;
  private String dataset = "mnist";
  private Path dataPath;
  private long steps;
  private int epochs;
  private int batch = 100;
  private OptimizerKind optimizer = OptimizerKind.SGD;
  private Float learningRate;
  private float keepProb = 1f;
  private long seed;
  private int logEvery = 100;
  private double validationSplit;
  private boolean shuffleLabels;
  private LearningRateSchedule lrSchedule = LearningRateSchedule.CONSTANT;
  private int augmentShift;
  private Precision precision = Precision.FLOAT32;
  private RunVariant variant = RunVariant.NONE;

  RunSettingsBuilder(String command) {
    this.command = command;
  }

  RunSettingsBuilder(RunSettings s) {
    this(s.command());
    model = s.model();
    dataset = s.dataset();
    dataPath = s.dataPath();
    steps = s.steps();
    epochs = s.epochs();
    batch = s.batch();
    optimizer = s.optimizer();
    learningRate = s.learningRate();
    keepProb = s.keepProb();
    seed = s.seed();
    logEvery = s.logEvery();
    validationSplit = s.validationSplit();
    shuffleLabels = s.shuffleLabels();
    lrSchedule = s.lrSchedule();
    augmentShift = s.augmentShift();
    precision = s.precision();
    variant = s.variant();
  }

  /** The model's zoo name ("softmax", "cnn", ...). */
  public RunSettingsBuilder model(String value) {
    model = value;
    return this;
  }

  /** The data set's name (default "mnist"). */
  public RunSettingsBuilder dataset(String value) {
    dataset = value;
    return this;
  }

  /** The data's directory or file. */
  public RunSettingsBuilder dataPath(Path value) {
    dataPath = value;
    return this;
  }

  /** Training steps, or 0 when epochs are given. */
  public RunSettingsBuilder steps(long value) {
    steps = value;
    return this;
  }

  /** Passes over the training set, or 0 when steps are given. */
  public RunSettingsBuilder epochs(int value) {
    epochs = value;
    return this;
  }

  /** Mini-batch size (default 100). */
  public RunSettingsBuilder batch(int value) {
    batch = value;
    return this;
  }

  /** The optimiser (default SGD). */
  public RunSettingsBuilder optimizer(OptimizerKind value) {
    optimizer = value;
    return this;
  }

  /** The learning rate (default: the optimiser's). */
  public RunSettingsBuilder learningRate(float value) {
    learningRate = value;
    return this;
  }

  /** Dropout keep probability (default 1: no dropout). */
  public RunSettingsBuilder keepProb(float value) {
    keepProb = value;
    return this;
  }

  /** The run's seed (default 0). */
  public RunSettingsBuilder seed(long value) {
    seed = value;
    return this;
  }

  /** Steps between training-accuracy lines (default 100). */
  public RunSettingsBuilder logEvery(int value) {
    logEvery = value;
    return this;
  }

  /** Fraction of the training set held out for validation (default 0). */
  public RunSettingsBuilder validationSplit(double value) {
    validationSplit = value;
    return this;
  }

  /** Whether the training labels are permuted (default false). */
  public RunSettingsBuilder shuffleLabels(boolean value) {
    shuffleLabels = value;
    return this;
  }

  /** The learning-rate schedule (default constant). */
  public RunSettingsBuilder lrSchedule(LearningRateSchedule value) {
    lrSchedule = value;
    return this;
  }

  /** Largest random shift of the training images in pixels (default 0). */
  public RunSettingsBuilder augmentShift(int value) {
    augmentShift = value;
    return this;
  }

  /** The training arithmetic (default float32). */
  public RunSettingsBuilder precision(Precision value) {
    precision = value;
    return this;
  }

  /** The write-up variant (default none). */
  public RunSettingsBuilder variant(RunVariant value) {
    variant = value;
    return this;
  }

  /** The settings; {@link RunSettings#problem(int)} says whether they make sense. */
  public RunSettings build() {
    return new RunSettings(
        command,
        model,
        dataset,
        dataPath,
        steps,
        epochs,
        batch,
        optimizer,
        learningRate != null ? learningRate : optimizer.defaultLearningRate(),
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
}
