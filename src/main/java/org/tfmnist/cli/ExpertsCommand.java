package org.tfmnist.cli;

import org.tfmnist.model.Adam;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.run.RunSettings;
import org.tfmnist.run.RunSettingsBuilder;
import org.tfmnist.runtime.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * "Deep MNIST for Experts": the two-layer CNN with dropout, 20,000 steps of 50 images, Adam 1e-4.
 */
@Command(
    name = "experts",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    defaultValueProvider = TutorialDefaults.Experts.class,
    description = {
      "Deep MNIST for Experts: conv-pool-conv-pool-fc1024-dropout-readout, trained with Adam.",
      "Writes <run-dir>/metrics.csv (one row per epoch), loss.png, accuracy.png, checkpoint/"
          + " (every epoch; see --resume) and saved_model/."
    })
final class ExpertsCommand extends MnistTrainingCommand {
  /**
   * The {@code --fast} preset: the same network, 3,600 steps of 128 images shifted by up to 1
   * pixel, Adam 2e-3 decayed to 0 by a cosine over the steps, in bfloat16 mixed precision where the
   * CPU has native bfloat16 ({@link Precision#fastest}).
   */
  static final int FAST_BATCH = 128;

  static final long FAST_STEPS = 3600;
  static final float FAST_LEARNING_RATE = 2e-3f;
  static final int FAST_SHIFT = 1;

  @Mixin WriteupOptions writeup = new WriteupOptions();

  @Option(
      names = "--keep-prob",
      paramLabel = "P",
      description = "Dropout keep probability while training.")
  float keepProb;

  @Option(
      names = "--fast",
      description =
          "Preset for the tutorial's accuracy in less time, on the same network:"
              + " --batch "
              + FAST_BATCH
              + " --steps "
              + FAST_STEPS
              + " --learning-rate 2e-3 with a cosine decay to 0 over"
              + " the steps (from the graph's global step), training images shifted by up to "
              + FAST_SHIFT
              + " pixel,"
              + " --precision bfloat16 where the CPU has native bfloat16 (AVX512-BF16 or AMX), float32 elsewhere."
              + " --batch, --steps, --learning-rate, --augment-shift and --precision given beside it override the preset's.")
  boolean fast;

  @Option(
      names = "--augment-shift",
      paramLabel = "PIXELS",
      defaultValue = "0",
      description =
          "Shift each training image by a random"
              + " 0..PIXELS pixels along each axis (--fast: "
              + FAST_SHIFT
              + "; the tutorial: 0).")
  int augmentShift;

  @Override
  RunSettings settingsFromOptions(long steps, int epochs) {
    if (!fast) {
      return cnn(steps, epochs)
          .learningRate(learningRateOr(1e-4f))
          .augmentShift(augmentShift)
          .build();
    }
    if (given("--epochs")) {
      throw new ParameterException(
          spec.commandLine(),
          "--fast decays its learning rate over --steps; give --steps, not --epochs");
    }
    return cnn(given("--steps") ? steps : FAST_STEPS, 0)
        .batch(given("--batch") ? batch : FAST_BATCH)
        .learningRate(given("--learning-rate") ? learningRate : FAST_LEARNING_RATE)
        .lrSchedule(LearningRateSchedule.COSINE)
        .augmentShift(given("--augment-shift") ? augmentShift : FAST_SHIFT)
        .precision(Precision.fastest())
        .build();
  }

  /** The tutorial's CNN trained by Adam, as both the tutorial and {@code --fast} run it. */
  private RunSettingsBuilder cnn(long steps, int epochs) {
    return common(steps, epochs)
        .model(DeepMnistCnn.NAME)
        .optimizer(OptimizerKind.ADAM)
        .keepProb(keepProb)
        .variant(writeup.variant(spec));
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The tutorial's Adam (TF1's epsilon 1e-8), with the run's learning-rate schedule. */
  @Override
  ModelBuilder builder(RunSettings settings) {
    return new DeepMnistCnn(
        Adam.withLearningRate(settings.learningRateSchedule()),
        settings.seed(),
        settings.variant().lossSum());
  }
}
