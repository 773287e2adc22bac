package org.tfmnist.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a run's learning rate moves ({@code run.properties}' {@code lr-schedule}); {@link #id()} is
 * the spelling in files.
 */
public enum LearningRateSchedule {
  /** The tutorials' fixed rate. */
  CONSTANT,
  /** {@code tf.train.cosine_decay} to 0 over the run's steps ({@code experts --fast}). */
  COSINE;

  /** The name as written in {@code run.properties} ("constant", "cosine"). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }

  /** The spellings accepted, comma separated. */
  public static String ids() {
    return Arrays.stream(values()).map(LearningRateSchedule::id).collect(Collectors.joining(", "));
  }

  /**
   * The schedule {@code text} names, in any case.
   *
   * @throws IllegalArgumentException naming the accepted spellings when it names none
   */
  public static LearningRateSchedule parse(String text) {
    for (LearningRateSchedule schedule : values()) {
      if (schedule.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return schedule;
      }
    }
    throw new IllegalArgumentException("must be one of " + ids() + ", got " + text);
  }
}
