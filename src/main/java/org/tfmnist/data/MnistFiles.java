package org.tfmnist.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The four standard MNIST file names, and where to find each one in a data directory: the {@code
 * .gz} file, or failing that the same name without {@code .gz} (a raw IDX file).
 */
public final class MnistFiles {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

  /** All four, training files first. */
  public static final List<String> ALL =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /** The test pair only. */
  public static final List<String> TEST = List.of(TEST_IMAGES, TEST_LABELS);

  private MnistFiles() {}

  /** The gzip name without ".gz". */
  public static String rawName(String name) {
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  /** The file to read for {@code name} in {@code dir}: the .gz, else the raw one, else empty. */
  public static Optional<Path> find(Path dir, String name) {
    Path gz = dir.resolve(name);
    if (Files.isRegularFile(gz)) {
      return Optional.of(gz);
    }
    Path raw = dir.resolve(rawName(name));
    return Files.isRegularFile(raw) ? Optional.of(raw) : Optional.empty();
  }

  /** The names among {@code names} that have neither form in {@code dir}. */
  public static List<String> missing(Path dir, List<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (find(dir, name).isEmpty()) {
        out.add(name);
      }
    }
    return out;
  }
}
