package org.tfmnist.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.MnistFiles;

/**
 * Downloads the missing files of a {@link DataSource} into a data directory, checking each one's
 * SHA-256 while it streams into a temporary file beside the target ({@code .NAME.partial-*}, mode
 * 0666 less the umask); only a verified file is fsynced and renamed into place, and no temporary
 * file is left behind on failure (a full disk included).
 */
public final class Downloader {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final Duration stallTimeout;
  private final DownloadProgress progress;

  /** A downloader with its own HTTP client (timeouts, redirects followed) reporting to out. */
  public Downloader(PrintStream out) {
    this(DownloadProgress.plain(out));
  }

  /** As {@link #Downloader(PrintStream)}, showing each download with {@code progress}. */
  public Downloader(DownloadProgress progress) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build(),
        STALL_TIMEOUT,
        progress);
  }

  /** stallTimeout: give up when the body delivers no byte for this long. */
  Downloader(HttpClient client, PrintStream out, Duration stallTimeout) {
    this(client, stallTimeout, DownloadProgress.plain(out));
  }

  private Downloader(HttpClient client, Duration stallTimeout, DownloadProgress progress) {
    this.client = client;
    this.stallTimeout = stallTimeout;
    this.progress = progress;
  }

  /** A downloader with a default client and the given stall timeout (for tests). */
  Downloader(PrintStream out, Duration stallTimeout) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build(),
        out,
        stallTimeout);
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
        download(base.resolve(e.getKey()), dir, e.getKey(), e.getValue(), label);
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
        actual = sha256(in, OutputStream.nullOutputStream());
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

  private void download(URI url, Path dir, String name, String expected, String label)
      throws TfmnistException {
    HttpResponse<InputStream> response;
    try {
      Files.createDirectories(dir);
      HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new DataException(
          "cannot download "
              + url
              + ": "
              + reason(e)
              + "; copy the four "
              + label
              + " files into "
              + dir
              + " or pass --data-dir DIR (offline)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataException("cannot download " + url + ": interrupted", e);
    }
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    DownloadProgress.Transfer transfer = progress.start(url, length);
    boolean ok = false;
    Path temp = null;
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new DataException("cannot download " + url + ": HTTP " + response.statusCode());
      }
      temp = DurableFiles.createTemp(dir.resolve(name));
      String actual;
      StallWatch watch = new StallWatch(body, stallTimeout);
      try (OutputStream sink = transfer.track(Files.newOutputStream(temp))) {
        actual = sha256(watch.stream(), sink);
      } catch (WriteFailed e) {
        throw new DataException(
            "cannot download " + url + ": cannot write " + dir + ": " + reason(e.cause()), e);
      } catch (IOException e) {
        if (watch.stalled()) {
          throw stalled(url, temp);
        }
        throw new DataException(
            "cannot download " + url + ": connection lost (" + reason(e) + ")", e);
      } finally {
        watch.stop();
      }
      if (watch.stalled()) {
        throw stalled(url, temp);
      }
      long got = Files.size(temp);
      if (length >= 0 && got != length) {
        throw new DataException(
            "cannot download " + url + ": truncated: got " + got + " of " + length + " bytes");
      }
      if (!actual.equals(expected)) {
        throw new DataException(
            url
                + ": SHA-256 mismatch: expected "
                + expected
                + ", got "
                + actual
                + " (corrupt or wrong mirror)");
      }
      DurableFiles.fsync(temp);
      DurableFiles.moveIntoPlace(temp, dir.resolve(name));
      ok = true;
      transfer.end(true);
    } catch (IOException e) {
      throw new DataException("cannot download " + url + " into " + dir + ": " + reason(e), e);
    } finally {
      if (!ok) {
        transfer.end(false);
        deleteQuietly(temp);
      }
    }
  }

  private DataException stalled(URI url, Path temp) throws IOException {
    return new DataException(
        "cannot download "
            + url
            + ": no data for "
            + stallTimeout.toSeconds()
            + " s after "
            + Files.size(temp)
            + " bytes");
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to do; the .NAME.partial-* name marks it as temporary
    }
  }

  /** Copies in to sink and returns the SHA-256 (lower-case hex) of what passed. */
  static String sha256(InputStream in, OutputStream sink) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      md.update(buf, 0, n);
      try {
        sink.write(buf, 0, n);
      } catch (IOException e) {
        throw new WriteFailed(e);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Writing to the local file failed (a full disk), as opposed to reading from the network. */
  private static final class WriteFailed extends IOException {
    WriteFailed(IOException cause) {
      super(cause);
    }

    IOException cause() {
      return (IOException) getCause();
    }
  }

  private static String reason(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof ConnectException && e.getMessage() == null) {
      return "connection refused";
    }
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg.replace('\n', ' ');
  }
}
