package org.tfmnist.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.MnistFiles;

/**
 * Downloads the missing files of a {@link DataSource} into a data directory, checking each one's
 * SHA-256 while it streams into a temporary file beside the target ({@code .NAME.partial-*}, mode
 * 0666 less the umask); only a verified file is fsynced and renamed into place, and no temporary
 * file is left behind on failure (a full disk included). A file larger than {@link #MAX_FILE_BYTES}
 * is refused (announced) or stopped (streamed) before it fills the disk.
 */
public final class Downloader {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The most one data file may be (the largest, Fashion-MNIST's training images, is 26 MB): a
   * mirror sending more is stopped there and the partial file deleted.
   */
  public static final long MAX_FILE_BYTES = 128L << 20;

  private final HttpClient client;
  private final Duration stallTimeout;
  private final LongSupplier clock;
  private final DownloadProgress progress;
  private final long maxBytes;

  /** A downloader with its own HTTP client (timeouts, redirects followed) reporting to out. */
  public Downloader(PrintStream out) {
    this(DownloadProgress.plain(out));
  }

  /** As {@link #Downloader(PrintStream)}, showing each download with {@code progress}. */
  public Downloader(DownloadProgress progress) {
    this(progress, STALL_TIMEOUT, System::nanoTime, MAX_FILE_BYTES);
  }

  /**
   * For tests: gives up when a body delivers no byte for {@code stallTimeout} as told by {@code
   * clock} (nanoseconds, as {@link System#nanoTime}), and stops a file at {@code maxBytes}.
   */
  Downloader(DownloadProgress progress, Duration stallTimeout, LongSupplier clock, long maxBytes) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.stallTimeout = stallTimeout;
    this.clock = clock;
    this.progress = progress;
    this.maxBytes = maxBytes;
  }

  /** Downloads, from {@code mirror}, each of the source's four files that {@code dir} lacks. */
  public void ensure(Path dir, DataSource source, URI mirror) throws TfmnistException {
    ensure(dir, source, mirror, MnistFiles.ALL);
  }

  /**
   * Downloads, from {@code mirror}, those of the source's files {@code names} that {@code dir}
   * lacks.
   */
  public void ensure(Path dir, DataSource source, URI mirror, List<String> names)
      throws TfmnistException {
    Map<String, String> sums = new java.util.LinkedHashMap<>();
    for (String name : names) {
      sums.put(name, source.sha256Sums().get(name));
    }
    ensure(dir, sums, mirror, source.displayName());
  }

  /** Checks the SHA-256 of each of the source's .gz files present in dir; returns their names. */
  public List<String> verify(Path dir, DataSource source) throws TfmnistException {
    Map<String, Set<String>> accepted = new TreeMap<>();
    for (String name : MnistFiles.ALL) {
      accepted.put(name, source.acceptedSha256(name));
    }
    return verify(dir, accepted);
  }

  /** ensure with an explicit name -> SHA-256 map (the files to have, in map order). */
  void ensure(Path dir, Map<String, String> sums, URI mirror, String label)
      throws TfmnistException {
    String scheme =
        mirror.getScheme() == null ? "" : mirror.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new DataException(
          "--mirror "
              + mirror
              + ": not an http:// or https:// URL; for files"
              + " already on this machine pass --data-dir DIR");
    }
    URI base = mirror.toString().endsWith("/") ? mirror : URI.create(mirror + "/");
    for (Map.Entry<String, String> e : sums.entrySet()) {
      if (MnistFiles.find(dir, e.getKey()).isEmpty()) {
        new FileDownload(client, stallTimeout, clock, maxBytes, progress)
            .fetch(base.resolve(e.getKey()), dir, e.getKey(), e.getValue(), label);
      }
    }
  }

  /** verify with an explicit name -> accepted sums map; absent files are skipped. */
  List<String> verify(Path dir, Map<String, Set<String>> accepted) throws TfmnistException {
    List<String> verified = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : accepted.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String actual;
      try (InputStream in = Files.newInputStream(file)) {
        actual = Sha256.copy(in, OutputStream.nullOutputStream());
      } catch (IOException ex) {
        throw new DataException(file + ": cannot read: " + ex.getMessage(), ex);
      }
      if (!e.getValue().contains(actual)) {
        throw DataException.of(
            file,
            "SHA-256 mismatch: expected "
                + String.join(" or ", new TreeSet<>(e.getValue()))
                + ", got "
                + actual
                + " (corrupt or wrong data set; delete it and download again)");
      }
      verified.add(e.getKey());
    }
    return verified;
  }
}
