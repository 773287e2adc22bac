package org.tfmnist.train;

/**
 * How long and how to train: {@code totalSteps} mini-batches of {@code batchSize} (the step counter
 * includes steps of an earlier, resumed run), dropout keep probability, the shuffling seed, how
 * often to report the tutorial's "training accuracy", the evaluation batch size, and the largest
 * random shift of the training images in pixels (0: none, the tutorials).
 */
public record TrainingPlan(
    long totalSteps,
    int batchSize,
    float keepProb,
    long seed,
    int logEvery,
    int evalBatchSize,
    int maxShift) {

  /** A plan without shifted images. */
  public TrainingPlan(
      long totalSteps, int batchSize, float keepProb, long seed, int logEvery, int evalBatchSize) {
    this(totalSteps, batchSize, keepProb, seed, logEvery, evalBatchSize, 0);
  }

  public TrainingPlan {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (!(keepProb > 0f && keepProb <= 1f)) {
      throw new IllegalArgumentException("keepProb must be in (0, 1], got " + keepProb);
    }
    if (maxShift < 0) {
      throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
    }
    if (logEvery < 1 || evalBatchSize < 1) {
      throw new IllegalArgumentException("logEvery and evalBatchSize must be >= 1");
    }
  }

  /** Steps that make {@code epochs} full passes over {@code trainSize} examples. */
  public static long stepsForEpochs(int epochs, int trainSize, int batchSize) {
    return (long) epochs * stepsPerEpoch(trainSize, batchSize);
  }

  /** Mini-batches in one pass over {@code trainSize} examples (the last one may be smaller). */
  public static int stepsPerEpoch(int trainSize, int batchSize) {
    return (trainSize + batchSize - 1) / batchSize;
  }
}
