package org.tfmnist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes that survive a power loss: a file's bytes are fsynced before it is renamed into place, and
 * its directory is fsynced after, so the new name never points at data still only in the page
 * cache. Temporary names start with {@code .} and contain {@code .partial-}: anything so named is
 * an interrupted write, safe to delete. New files get the usual mode (0666 less the umask, i.e.
 * 0644), not the owner-only mode of {@code Files.createTempFile}.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** What writes a temporary file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Flushes {@code file}'s data and metadata to the device. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Flushes {@code dir}'s entries (names created, renamed or deleted in it) to the device. Where a
   * directory cannot be opened (not POSIX), this does nothing: there is no such call there.
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        throw e;
      }
      return;
    }
    try (channel) {
      channel.force(true);
    }
  }

  /** Fsyncs every file under {@code dir}, then every directory, deepest first. */
  public static void fsyncTree(Path dir) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        fsync(p);
      }
    }
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        fsyncDirectory(p);
      }
    }
  }

  /** A new, empty file beside {@code target} named {@code .<target>.partial-<random>}. */
  public static Path createTemp(Path target) throws IOException {
    Path parent = parentOf(target);
    for (int attempt = 0; ; attempt++) {
      Path tmp = parent.resolve(temporaryName(target));
      try {
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /** A temporary name beside {@code target}: {@code .<name>.partial-<random>}. */
  public static String temporaryName(Path target) {
    return "."
        + target.getFileName()
        + ".partial-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /**
   * Writes {@code content} to a temporary file beside {@code target}, fsyncs it, renames it over
   * {@code target} and fsyncs the directory. On failure the temporary file is deleted and {@code
   * target} is as it was.
   */
  public static void write(Path target, Content content) throws IOException {
    Path tmp = createTemp(target);
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        content.writeTo(out);
      }
      fsync(tmp);
      moveIntoPlace(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** {@link #write} of a byte array. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Renames {@code source} (already fsynced, file or directory) to {@code target}, atomically where
   * the file system can, replacing a file there, and fsyncs {@code target}'s directory.
   */
  public static void moveIntoPlace(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    fsyncDirectory(parentOf(target));
  }

  /** Deletes {@code path} and everything under it; best effort, for cleaning up after a failure. */
  public static void deleteTreeQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // what is left carries a .partial- name
    }
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    return parent != null ? parent : target.toAbsolutePath().getRoot();
  }
}
