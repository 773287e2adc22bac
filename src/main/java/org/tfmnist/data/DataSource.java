package org.tfmnist.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tfmnist.TfmnistException;

/**
 * A downloadable MNIST-format data set: its command-line name, default directory, mirror and the
 * SHA-256 of each of the four files as the mirror serves them.
 */
public enum DataSource {
  MNIST(
      "mnist",
      "MNIST",
      "data/mnist",
      "https://storage.googleapis.com/cvdf-datasets/mnist/",
      Map.of(
          MnistFiles.TRAIN_IMAGES,
              "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
          MnistFiles.TRAIN_LABELS,
              "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
          MnistFiles.TEST_IMAGES,
              "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
          MnistFiles.TEST_LABELS,
              "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
      Map.of()),
  FASHION_MNIST(
      "fashion-mnist",
      "Fashion-MNIST",
      "data/fashion-mnist",
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
      // As published by zalandoresearch (the files whose MD5s its README lists).
      Map.of(
          MnistFiles.TRAIN_IMAGES,
              "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
          MnistFiles.TRAIN_LABELS,
              "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
          MnistFiles.TEST_IMAGES,
              "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
          MnistFiles.TEST_LABELS,
              "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
      // Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist): the same IDX content
      // re-gzipped (no name in the gzip header), so the compressed bytes differ.
      Map.of(
          MnistFiles.TRAIN_IMAGES,
              "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
          MnistFiles.TRAIN_LABELS,
              "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
          MnistFiles.TEST_IMAGES,
              "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
          MnistFiles.TEST_LABELS,
              "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));

  private final String cliName;
  private final String displayName;
  private final Path defaultDir;
  private final URI mirror;
  private final Map<String, String> sha256;
  private final Map<String, String> repackSha256;

  DataSource(
      String cliName,
      String displayName,
      String defaultDir,
      String mirror,
      Map<String, String> sha256,
      Map<String, String> repackSha256) {
    this.cliName = cliName;
    this.displayName = displayName;
    this.defaultDir = Path.of(defaultDir);
    this.mirror = URI.create(mirror);
    this.sha256 = inFileOrder(sha256);
    this.repackSha256 = repackSha256;
  }

  /** The name on the command line: "mnist" or "fashion-mnist". */
  public String cliName() {
    return cliName;
  }

  /** The name for messages: "MNIST" or "Fashion-MNIST". */
  public String displayName() {
    return displayName;
  }

  /** Where the files go by default, relative to the working directory. */
  public Path defaultDir() {
    return defaultDir;
  }

  /** The default download mirror (ends with '/'). */
  public URI mirror() {
    return mirror;
  }

  /**
   * File name -> SHA-256 (lower-case hex) of the four files as the mirror serves them, in {@link
   * MnistFiles#ALL} order.
   */
  public Map<String, String> sha256Sums() {
    return sha256;
  }

  /** The sums a present file may have: the mirror's, plus a known repackaging of the same data. */
  public Set<String> acceptedSha256(String fileName) {
    String main = sha256.get(fileName);
    if (main == null) {
      return Set.of();
    }
    String repack = repackSha256.get(fileName);
    return repack == null ? Set.of(main) : Set.of(main, repack);
  }

  private static Map<String, String> inFileOrder(Map<String, String> sums) {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String name : MnistFiles.ALL) {
      ordered.put(name, sums.get(name));
    }
    return Collections.unmodifiableMap(ordered);
  }

  /** The source with this command-line name. */
  public static DataSource fromCliName(String name) throws TfmnistException {
    String key = name.toLowerCase(Locale.ROOT);
    for (DataSource s : values()) {
      if (s.cliName.equals(key)) {
        return s;
      }
    }
    throw new TfmnistException("unknown data set '" + name + "' (expected mnist or fashion-mnist)");
  }
}
