package org.tfmnist.data.download;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;

/**
 * What the {@link Downloader} shows while a file downloads: {@link #plain} prints one line per file
 * ({@code downloading URL (9.9 MB) ... ok}); {@link DownloadProgressBar} draws a bar on a terminal.
 */
public interface DownloadProgress {
  /** A download of {@code length} bytes ({@code -1}: unknown) from {@code url} begins. */
  Transfer start(URI url, long length);

  /** One download under way. */
  interface Transfer {
    /**
     * The stream the download's bytes are written through, counting them; {@code sink} itself by
     * default.
     */
    default OutputStream track(OutputStream sink) {
      return sink;
    }

    /** The download ended, verified and in place ({@code ok}) or not. */
    void end(boolean ok);
  }

  /** {@code downloading URL (SIZE) ... ok} (or {@code failed}) on {@code out}. */
  static DownloadProgress plain(PrintStream out) {
    return (url, length) -> {
      out.print("downloading " + url + " (" + size(length) + ") ... ");
      out.flush();
      return ok -> out.println(ok ? "ok" : "failed");
    };
  }

  private static String size(long bytes) {
    if (bytes < 0) {
      return "size unknown";
    }
    if (bytes >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
    return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
  }
}
