package org.tfmnist.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.MnistFiles;

/**
 * A download from a local server with the terminal progress bar: the bar ends at 100% of the file.
 */
@Tag("data")
class DownloadProgressBarTest {
  @TempDir Path dir;

  @Test
  void theBarCountsTheFilesBytes() throws Exception {
    String name = MnistFiles.TEST_LABELS;
    byte[] body = Files.readAllBytes(TestData.mnistDir().resolve(name));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      new Downloader(new DownloadProgressBar(terminal))
          .ensure(
              dir,
              Map.of(name, DataSource.MNIST.sha256Sums().get(name)),
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
              "MNIST");
    } finally {
      server.stop(0);
    }
    assertEquals(body.length, Files.size(dir.resolve(name)));
    String out = bytes.toString(StandardCharsets.UTF_8);
    String last = out.substring(out.lastIndexOf('\r') + 1);
    assertTrue(last.startsWith("downloading " + name + " 100% ["), out);
    long kB = body.length / 1000;
    assertTrue(last.contains("] " + kB + "/" + kB + " kB ("), out);
    assertTrue(out.endsWith("\n"), "the bar's line is ended");
  }
}
