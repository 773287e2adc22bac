package org.tfmnist.model;

import org.tfmnist.EnumIds;

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
    return EnumIds.id(this);
  }

  @Override
  public String toString() {
    return id();
  }

  /** The spellings accepted, comma separated. */
  public static String ids() {
    return EnumIds.ids(LearningRateSchedule.class);
  }

  /**
   * The schedule {@code text} names, in any case.
   *
   * @throws IllegalArgumentException naming the accepted spellings when it names none
   */
  public static LearningRateSchedule parse(String text) {
    return EnumIds.parse(LearningRateSchedule.class, text);
  }
}
