package org.tfmnist.testdata;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.MnistFiles;
import org.tfmnist.data.download.Downloader;

/**
 * The test data for a machine without {@code ../shared/data}: a cache directory laid out like it
 * ({@code mnist/}, {@code mnist-small/}, {@code digits/}, plus {@code fashion-mnist/} when Debian's
 * package is absent), filled on first use with the project's {@link Downloader} (SHA-256 checked)
 * and {@link MnistSmallCut}. Every failure is a {@link MissingTestData} whose one line says what is
 * missing and how to supply it.
 */
public final class TestDataCache {
  /** The MNIST files the tests read: not the 60,000 training images. */
  public static final List<String> MNIST_NEEDED =
      List.of(MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS);

  public static final String ROOT_VARIABLE = "TFMNIST_TEST_DATA";
  public static final String MNIST_MIRROR_VARIABLE = "TFMNIST_MNIST_MIRROR";
  public static final String FASHION_MIRROR_VARIABLE = "TFMNIST_FASHION_MIRROR";

  /** Where Debian's dataset-fashion-mnist puts Fashion-MNIST. */
  public static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  private final Path root;
  private final URI mnistMirror;
  private final URI fashionMirror;
  private final Path debianFashion;
  private final Downloader downloader;

  /** A cache in root (created when needed), filled from the given mirrors; progress to out. */
  public TestDataCache(
      Path root, URI mnistMirror, URI fashionMirror, Path debianFashion, PrintStream out) {
    this.root = root.toAbsolutePath().normalize();
    this.mnistMirror = mnistMirror;
    this.fashionMirror = fashionMirror;
    this.debianFashion = debianFashion;
    this.downloader = new Downloader(out);
  }

  /**
   * $TFMNIST_TEST_DATA or target/test-data, $TFMNIST_MNIST_MIRROR / $TFMNIST_FASHION_MIRROR or the
   * defaults.
   */
  public static TestDataCache fromEnvironment(PrintStream out) {
    return new TestDataCache(
        Path.of(env(ROOT_VARIABLE, "target/test-data")),
        URI.create(env(MNIST_MIRROR_VARIABLE, DataSource.MNIST.mirror().toString())),
        URI.create(env(FASHION_MIRROR_VARIABLE, DataSource.FASHION_MNIST.mirror().toString())),
        DEBIAN_FASHION,
        out);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  /** The cache directory. */
  public Path root() {
    return root;
  }

  /**
   * mnist/ with the three MNIST files the tests read, downloaded if absent, all SHA-256 checked.
   */
  public Path mnist() {
    Path dir = root.resolve("mnist");
    try {
      downloader.ensure(dir, DataSource.MNIST, mnistMirror, MNIST_NEEDED);
      downloader.verify(dir, DataSource.MNIST);
    } catch (TfmnistException e) {
      throw new MissingTestData(
          "no MNIST test files: ../shared/data is not beside the project and "
              + dir
              + " cannot be filled ("
              + reason(e)
              + "); set "
              + MNIST_MIRROR_VARIABLE
              + "=URL of a mirror holding them, or copy "
              + String.join(", ", MNIST_NEEDED)
              + " into "
              + dir
              + " ("
              + ROOT_VARIABLE
              + " names another cache directory)");
    }
    return dir;
  }

  /** mnist-small/ cut from mnist()'s test images by {@link MnistSmallCut}, once. */
  public Path mnistSmall() {
    Path dir = root.resolve("mnist-small");
    if (MnistFiles.missing(dir, MnistFiles.ALL).isEmpty()) {
      return dir;
    }
    Path mnist = mnist();
    Path temp = null;
    try {
      Files.createDirectories(root);
      temp = Files.createTempDirectory(root, "mnist-small.part-");
      MnistSmallCut.write(mnist, temp);
      moveIntoPlace(temp, dir);
      temp = null;
    } catch (IOException | DataException e) {
      throw new MissingTestData(
          dir + ": cannot cut mnist-small from " + mnist + ": " + e.getMessage());
    } finally {
      deleteTree(temp);
    }
    return dir;
  }

  /** Debian's Fashion-MNIST when installed, else fashion-mnist/ downloaded and SHA-256 checked. */
  public Path fashionMnist() {
    if (MnistFiles.missing(debianFashion, MnistFiles.ALL).isEmpty()) {
      return debianFashion;
    }
    Path dir = root.resolve("fashion-mnist");
    try {
      downloader.ensure(dir, DataSource.FASHION_MNIST, fashionMirror);
      downloader.verify(dir, DataSource.FASHION_MNIST);
    } catch (TfmnistException e) {
      throw new MissingTestData(
          "no Fashion-MNIST: not in "
              + debianFashion
              + " and "
              + dir
              + " cannot be filled ("
              + reason(e)
              + "); apt-get install dataset-fashion-mnist, set "
              + FASHION_MIRROR_VARIABLE
              + "=URL of a mirror, or copy the four Fashion-MNIST files into "
              + dir);
    }
    return dir;
  }

  /** digits/digits.csv.gz, a copy of the file the repository ships. */
  public Path digits(Path shipped) {
    Path file = root.resolve("digits").resolve(shipped.getFileName());
    if (Files.isRegularFile(file)) {
      return file;
    }
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), "digits.part-", "");
      Files.copy(shipped, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MissingTestData(file + ": cannot copy " + shipped + ": " + e.getMessage());
    }
    return file;
  }

  /** The downloader's reason, without its hint for the command line. */
  private static String reason(Exception e) {
    String msg = String.valueOf(e.getMessage());
    int hint = msg.indexOf("; copy the four");
    return hint > 0 ? msg.substring(0, hint) : msg;
  }

  private static void moveIntoPlace(Path temp, Path dir) throws IOException {
    try {
      Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      // another run cut it meanwhile (or left an incomplete one): replace ours only if needed
      if (MnistFiles.missing(dir, MnistFiles.ALL).isEmpty()) {
        deleteTree(temp);
      } else {
        deleteTree(dir);
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, dir);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // best effort: the name ends in .part-*, recognisably unfinished
    }
  }
}
