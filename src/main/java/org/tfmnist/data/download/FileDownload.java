package org.tfmnist.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataException;

/**
 * One file's download: the request, the body streamed into a temporary file beside the target
 * ({@code .NAME.partial-*}) through a stall watch and a size cap while its SHA-256 is computed, the
 * checks (status, length, sum), then fsync and rename into place. Nothing is left behind on
 * failure.
 */
final class FileDownload {
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final Duration stallTimeout;
  private final LongSupplier clock;
  private final long maxBytes;
  private final DownloadProgress progress;

  /** {@code clock}: the stall watch's nanosecond clock ({@link System#nanoTime}). */
  FileDownload(
      HttpClient client,
      Duration stallTimeout,
      LongSupplier clock,
      long maxBytes,
      DownloadProgress progress) {
    this.client = client;
    this.stallTimeout = stallTimeout;
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.progress = progress;
  }

  /** Downloads {@code url} into {@code dir/name}, checked against the SHA-256 {@code expected}. */
  void fetch(URI url, Path dir, String name, String expected, String label)
      throws TfmnistException {
    HttpResponse<InputStream> response = request(url, dir, label);
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    DownloadProgress.Transfer transfer = progress.start(url, length);
    boolean ok = false;
    Path temp = null;
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new DataException("cannot download " + url + ": HTTP " + response.statusCode());
      }
      if (length > maxBytes) {
        throw tooLarge(url, length + " bytes announced");
      }
      temp = DurableFiles.createTemp(dir.resolve(name));
      String actual = store(url, dir, body, temp, transfer);
      check(url, temp, length, expected, actual);
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

  private HttpResponse<InputStream> request(URI url, Path dir, String label)
      throws TfmnistException {
    try {
      Files.createDirectories(dir);
      HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
  }

  /** Streams the body into temp; returns its SHA-256. */
  private String store(
      URI url, Path dir, InputStream body, Path temp, DownloadProgress.Transfer transfer)
      throws IOException, TfmnistException {
    StallWatch watch = new StallWatch(body, stallTimeout, clock);
    String actual;
    try (OutputStream sink = transfer.track(Files.newOutputStream(temp))) {
      actual = Sha256.copy(new SizeCap(watch.stream(), maxBytes), sink);
    } catch (Sha256.WriteFailed e) {
      throw new DataException(
          "cannot download " + url + ": cannot write " + dir + ": " + reason(e.cause()), e);
    } catch (SizeCap.TooLarge e) {
      throw tooLarge(url, "stopped after " + (maxBytes >> 20) + " MiB");
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
    return actual;
  }

  private static void check(URI url, Path temp, long length, String expected, String actual)
      throws IOException, TfmnistException {
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
  }

  private DataException tooLarge(URI url, String what) {
    return new DataException(
        "cannot download "
            + url
            + ": larger than the "
            + (maxBytes >> 20)
            + " MiB a data file may be ("
            + what
            + "); wrong or broken mirror?");
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

  static String reason(IOException e) {
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
