package org.tfmnist.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;

/**
 * Where a run follows a write-up instead of its command's default, as {@code run.properties}
 * records it: the loss summed over the batch ({@code --loss sum}, the early tutorials' {@code
 * -reduce_sum(y_ * log(y))}) instead of its mean; a constant zero bias ({@code --bias constant},
 * the digits write-up's {@code b = tf.zeros([10])}) instead of a trained one; and the first {@code
 * validationSize} training images held out for validation ({@code --validation-size}, as TF's
 * {@code input_data} keeps 5,000 of MNIST's 60,000).
 */
public record RunVariant(boolean lossSum, boolean constantBias, int validationSize) {
  public static final RunVariant NONE = new RunVariant(false, false, 0);
  public static final List<String> LOSSES = List.of("mean", "sum");
  public static final List<String> BIASES = List.of("trained", "constant");

  /** The variant the options name; an unknown name is an {@link IllegalArgumentException}. */
  public static RunVariant of(String loss, String bias, int validationSize) {
    return new RunVariant(
        choice("--loss", loss, LOSSES), choice("--bias", bias, BIASES), validationSize);
  }

  private static boolean choice(String option, String value, List<String> names) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!names.contains(v)) {
      throw new IllegalArgumentException(
          option + " must be one of " + String.join(", ", names) + ", got " + value);
    }
    return v.equals(names.get(1));
  }

  /**
   * The data with its validation set held out: the first {@code validationSize} training images
   * (TF's {@code input_data}), or the last {@code validationSplit} fraction (Keras' {@code
   * validation_split}), or none.
   */
  public DataSplits prepare(DataSplits splits, double validationSplit) {
    if (validationSize > 0 && validationSize < splits.train().size()) {
      return splits.withValidationHead(validationSize);
    }
    return validationSplit > 0 ? splits.withValidationSplit(validationSplit) : splits;
  }

  /**
   * What is wrong with the validation hold-out ({@code validationSplit} and this variant's size),
   * or null ({@link #tooLargeFor} checks the size against the data).
   */
  public String problem(int trainSize, double validationSplit) {
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      return "--validation-split must be in [0, 1), got " + validationSplit;
    }
    if (validationSize < 0) {
      return "--validation-size must be >= 0, got " + validationSize;
    }
    if (validationSize > 0 && validationSplit > 0) {
      return "give --validation-size or --validation-split, not both";
    }
    return null;
  }

  /** Why {@code validationSize} does not fit {@code splits}, as loaded, or null. */
  public String tooLargeFor(DataSplits splits) {
    int size = splits.train().size();
    return validationSize > 0 && validationSize >= size
        ? "--validation-size "
            + validationSize
            + " leaves no training images (the training set has "
            + size
            + ")"
        : null;
  }

  /** Adds {@code loss}, {@code bias} and {@code validation-size} to {@code p}. */
  public void write(Properties p) {
    p.setProperty("loss", LOSSES.get(lossSum ? 1 : 0));
    p.setProperty("bias", BIASES.get(constantBias ? 1 : 0));
    p.setProperty("validation-size", Integer.toString(validationSize));
  }

  /**
   * Reads what {@link #write} wrote into {@code file}; runs recorded before these keys existed had
   * the defaults.
   */
  public static RunVariant read(Properties p, Path file) throws TfmnistException {
    int size = Integer.parseInt(p.getProperty("validation-size", "0").trim());
    try {
      return of(p.getProperty("loss", "mean"), p.getProperty("bias", "trained"), size);
    } catch (IllegalArgumentException e) {
      throw new TfmnistException(file + ": " + e.getMessage().replace("--", ""), e);
    }
  }
}
