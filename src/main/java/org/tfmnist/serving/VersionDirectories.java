package org.tfmnist.serving;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The numbered version directories under one base path, and whether each has stopped changing. A
 * directory counts once it holds {@code saved_model.pb}; its number is read as TF Serving reads it
 * ({@code 007} is version 7, opened as {@code 007}); names starting with a dot (exports in
 * progress) are ignored. A symlinked version is followed: its fingerprint covers the files it
 * points at, so a half-copied target is not loaded, and a target that failed to load is tried again
 * once its files change. Not thread-safe: its model polls it under a lock.
 */
final class VersionDirectories {
  private final Path base;
  private final Map<Long, String> lastFingerprint = new HashMap<>();
  private final Map<Long, String> failedFingerprint = new HashMap<>();

  VersionDirectories(Path base) {
    this.base = base;
  }

  Path base() {
    return base;
  }

  /**
   * Version number to directory, for every directory holding a saved_model.pb; of two names for one
   * number ({@code 7} and {@code 007}) the shorter wins.
   */
  NavigableMap<Long, Path> scan() throws IOException {
    NavigableMap<Long, Path> out = new TreeMap<>();
    try (Stream<Path> entries = Files.list(base)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String n = p.getFileName().toString();
        if (!n.matches("[0-9]{1,18}") || !Files.isRegularFile(p.resolve("saved_model.pb"))) {
          continue;
        }
        long v = Long.parseLong(n);
        Path before = out.get(v);
        if (before == null || n.length() < before.getFileName().toString().length()) {
          out.put(v, p);
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code dir} may be loaded as {@code version} now: with {@code trustNow} (start-up), as
   * soon as it has not failed as it is; otherwise once its files stayed unchanged since the last
   * look.
   */
  boolean ready(long version, Path dir, boolean trustNow) {
    String fingerprint = fingerprint(dir);
    String before = lastFingerprint.put(version, fingerprint);
    if (fingerprint.equals(failedFingerprint.get(version))) {
      return false; // failed to load as it is: wait until it changes
    }
    return trustNow || fingerprint.equals(before);
  }

  /**
   * The versions of {@code onDisk} a policy may choose from now: those {@code loaded}, and those
   * {@link #ready} to load.
   */
  NavigableSet<Long> candidates(
      NavigableMap<Long, Path> onDisk, Set<Long> loaded, boolean trustNow) {
    NavigableSet<Long> out = new TreeSet<>();
    onDisk.forEach(
        (v, dir) -> {
          if (loaded.contains(v) || ready(v, dir, trustNow)) {
            out.add(v);
          }
        });
    return out;
  }

  /** Remembers that {@code version} failed to load as its files are now. */
  void failed(long version, Path dir) {
    failedFingerprint.put(version, fingerprint(dir));
  }

  void loaded(long version) {
    failedFingerprint.remove(version);
  }

  /**
   * The real path, then the names, sizes and modification times of every file under it, links
   * followed: equal twice means it stopped changing.
   */
  static String fingerprint(Path dir) {
    StringBuilder sb = new StringBuilder();
    try {
      Path real = dir.toRealPath();
      sb.append(real).append('|');
      try (Stream<Path> files = Files.walk(real, FileVisitOption.FOLLOW_LINKS)) {
        for (Path p : (Iterable<Path>) files.sorted()::iterator) {
          sb.append(real.relativize(p))
              .append(':')
              .append(Files.size(p))
              .append(':')
              .append(Files.getLastModifiedTime(p).toMillis())
              .append(';');
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unreadable:" + System.nanoTime(); // never equal twice: try again next poll
    }
    return sb.toString();
  }
}
