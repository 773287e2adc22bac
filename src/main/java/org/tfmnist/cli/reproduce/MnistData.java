package org.tfmnist.cli.reproduce;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistFiles;

/**
 * The MNIST-format data a reproduction runs on, and what it is: full MNIST only when its training
 * images are MNIST's own file (by SHA-256), so a figure on mnist-small or Fashion-MNIST is never
 * labelled a full-MNIST one.
 *
 * @param dir the directory of the four IDX files
 * @param name what the data is, for the tables ("full MNIST", "Fashion-MNIST", "mnist-small")
 * @param trainSize training images
 * @param testSize test images
 * @param fullMnist whether it is MNIST's 60,000 / 10,000
 */
public record MnistData(Path dir, String name, int trainSize, int testSize, boolean fullMnist) {

  /** Tells what {@code splits}, loaded from {@code dir}, are. */
  public static MnistData of(Path dir, DataSplits splits) throws TfmnistException {
    String sha = sha256(dir.resolve(MnistFiles.TRAIN_IMAGES));
    boolean mnist = DataSource.MNIST.acceptedSha256(MnistFiles.TRAIN_IMAGES).contains(sha);
    boolean fashion =
        DataSource.FASHION_MNIST.acceptedSha256(MnistFiles.TRAIN_IMAGES).contains(sha);
    Path fileName = dir.toAbsolutePath().normalize().getFileName();
    String name =
        mnist
            ? "full MNIST"
            : fashion ? "Fashion-MNIST" : fileName == null ? dir.toString() : fileName.toString();
    return new MnistData(dir, name, splits.train().size(), splits.test().size(), mnist);
  }

  /** "mnist-small (8,000 / 2,000)". */
  public String describe() {
    return String.format(Locale.ROOT, "%s (%,d / %,d)", name, trainSize, testSize);
  }

  private static String sha256(Path file) throws TfmnistException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot read: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
