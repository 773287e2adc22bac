package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real full disk for tests: a small tmpfs mounted (as root, with {@code mount -t tmpfs}) on a
 * fresh directory, which {@link #fill} fills to the last page with a filler file, so the next write
 * that needs a new page fails with ENOSPC ("No space left on device"), as on a full disk. Not root:
 * the test is reported skipped, not passed. Root and mount fails: the test fails.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;
  private final Path filler;

  private SmallDisk(Path dir) {
    this.dir = dir;
    this.filler = dir.resolve("filler");
  }

  /** Mounts a tmpfs of {@code kib} KiB on a new temporary directory. */
  public static SmallDisk mount(int kib) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root (CI and the development machines run as root)");
    Path dir = Files.createTempDirectory("tfmnist-fulldisk-");
    run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", dir.toString());
    return new SmallDisk(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Writes a filler file until the file system refuses another byte. */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
    // the stream's last partial block may still sit in a page: top up byte by byte
    try (OutputStream out =
        Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(0);
        out.flush();
      }
    } catch (IOException expected) {
      // full
    }
  }

  /** Deletes the filler: the disk has room again. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  /** Grows the tmpfs to {@code kib} KiB, keeping its files (mount -o remount). */
  public void grow(int kib) throws IOException, InterruptedException {
    run("mount", "-o", "remount,size=" + kib + "k", dir.toString());
  }

  /** The names of the files and directories under the disk (relative), filler excluded, sorted. */
  public List<String> contents(Path under) throws IOException {
    try (var walk = Files.walk(under)) {
      return walk.filter(p -> !p.equals(under) && !p.equals(filler))
          .map(p -> under.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", dir.toString());
    Files.deleteIfExists(dir);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + " failed: " + output);
  }
}
