package org.tfmnist.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.SmallDisk;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.IdxFile;
import org.tfmnist.data.MnistFiles;

/** The downloader against a local HTTP server serving the real MNIST files from shared data. */
@Tag("data")
public class DownloaderTest {
  /** The three real MNIST files present in shared data, with DataSource.MNIST's sums. */
  private static final List<String> PRESENT =
      List.of(MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS);

  private static final Duration STALL = Duration.ofSeconds(2);

  @TempDir Path dir;

  private HttpServer server;
  private String base;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  /**
   * The downloaders' clock: it stands still unless a test moves it, so no download gives up for a
   * stall because the machine was slow, and the stall test declares one when it chooses.
   */
  private final AtomicLong now = new AtomicLong();

  private final Downloader downloader =
      new Downloader(
          DownloadProgress.plain(new PrintStream(progress, true, StandardCharsets.UTF_8)),
          STALL,
          now::get,
          Downloader.MAX_FILE_BYTES);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/good/", ex -> serve(ex, file(ex, "/good/"), Mode.GOOD));
    server.createContext("/flip/", ex -> serve(ex, file(ex, "/flip/"), Mode.FLIP));
    server.createContext("/stall/", ex -> serve(ex, file(ex, "/stall/"), Mode.STALL));
    server.createContext("/short/", ex -> serve(ex, file(ex, "/short/"), Mode.SHORT));
    server.createContext(
        "/moved/",
        ex -> {
          ex.getResponseHeaders()
              .add(
                  "Location",
                  "/good/" + ex.getRequestURI().getPath().substring("/moved/".length()));
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/gone/",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    server.createContext(
        "/endless/",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked, no length: a bad mirror streaming forever
          byte[] zeros = new byte[64 << 10];
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 1024; i++) { // 64 MiB at most, then the test would fail
              out.write(zeros);
            }
          } catch (IOException gone) {
            // the downloader hung up: what the cap is for
          }
        });
    server.createContext(
        "/announced/",
        ex -> {
          ex.sendResponseHeaders(200, 2L << 20);
          // keep the connection open (trickling, for 2 s at most): a close right after the
          // headers races the client, which then sees an early EOF instead of the announced size
          try (java.io.OutputStream body = ex.getResponseBody()) {
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
              body.write(new byte[1024]);
              body.flush();
              Thread.sleep(10);
            }
          } catch (java.io.IOException | InterruptedException refused) {
            // the client closed the connection on seeing the size: what the test wants
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private enum Mode {
    GOOD,
    FLIP,
    STALL,
    SHORT
  }

  private static byte[] file(HttpExchange ex, String prefix) throws IOException {
    String name = ex.getRequestURI().getPath().substring(prefix.length());
    return Files.readAllBytes(TestData.mnistDir().resolve(name));
  }

  private static void serve(HttpExchange ex, byte[] body, Mode mode) throws IOException {
    try {
      if (mode == Mode.FLIP) {
        body = body.clone();
        body[body.length / 2] ^= 1;
      }
      if (mode == Mode.SHORT) {
        body = Arrays.copyOf(body, body.length / 2);
      }
      ex.sendResponseHeaders(200, body.length);
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, mode == Mode.STALL ? body.length / 2 : body.length);
      out.flush();
      if (mode == Mode.STALL) {
        out.close(); // short of Content-Length: throws, and the connection stays open
      }
    } catch (IOException expected) {
      // STALL: "insufficient bytes written to stream"
    } finally {
      ex.close();
    }
  }

  private static Map<String, String> presentSums() {
    Map<String, String> sums = new LinkedHashMap<>();
    for (String name : PRESENT) {
      sums.put(name, DataSource.MNIST.sha256Sums().get(name));
    }
    return sums;
  }

  private void assertDirEmpty() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void downloadsAndVerifiesRealFiles() throws Exception {
    downloader.ensure(dir, presentSums(), URI.create(base + "/good/"), "MNIST");
    for (String name : PRESENT) {
      assertArrayEquals(
          Files.readAllBytes(TestData.mnistDir().resolve(name)),
          Files.readAllBytes(dir.resolve(name)));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(3, files.count());
    }
    assertEquals(
        PRESENT.stream().sorted().toList(),
        downloader.verify(dir, DataSource.MNIST).stream().sorted().toList());
    String log = progress.toString(StandardCharsets.UTF_8);
    assertTrue(
        log.contains("downloading " + base + "/good/t10k-images-idx3-ubyte.gz (1.6 MB) ... ok"),
        log);
    assertEquals(3, log.lines().count());
    // Present files are not fetched again: this mirror would fail.
    progress.reset();
    downloader.ensure(dir, presentSums(), URI.create(base + "/gone/"), "MNIST");
    assertEquals("", progress.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aBodyPastTheSizeCapIsStoppedAndLeavesNothing() throws Exception {
    Downloader capped =
        new Downloader(DownloadProgress.plain(new PrintStream(progress)), STALL, now::get, 1 << 20);
    DataException endless =
        assertThrows(
            DataException.class,
            () -> capped.ensure(dir, presentSums(), URI.create(base + "/endless/"), "MNIST"));
    assertTrue(
        endless
            .getMessage()
            .contains("larger than the 1 MiB a data file may be (stopped after 1 MiB)"),
        endless.getMessage());
    assertDirEmpty();
    DataException announced =
        assertThrows(
            DataException.class,
            () -> capped.ensure(dir, presentSums(), URI.create(base + "/announced/"), "MNIST"));
    assertTrue(
        announced.getMessage().contains("(2097152 bytes announced)"), announced.getMessage());
    assertDirEmpty();
  }

  @Test
  void followsRedirectsAndMirrorWithoutSlash() throws Exception {
    downloader.ensure(
        dir,
        Map.of(MnistFiles.TEST_LABELS, presentSums().get(MnistFiles.TEST_LABELS)),
        URI.create(base + "/moved"),
        "MNIST");
    assertEquals(10_000, IdxFile.readLabels(dir.resolve(MnistFiles.TEST_LABELS)).length);
  }

  @Test
  void sharedMnistFilesVerify() throws Exception {
    assertEquals(
        PRESENT.stream().sorted().toList(),
        downloader.verify(TestData.mnistDir(), DataSource.MNIST).stream().sorted().toList());
  }

  @Test
  void debianFashionMnistVerifies() throws Exception {
    assertEquals(4, downloader.verify(TestData.fashionMnistDir(), DataSource.FASHION_MNIST).size());
  }

  @Test
  void verifyRejectsCorruptPresentFile() throws Exception {
    byte[] bytes = Files.readAllBytes(TestData.mnistDir().resolve(MnistFiles.TEST_LABELS));
    bytes[100] ^= 1;
    Path f = Files.write(dir.resolve(MnistFiles.TEST_LABELS), bytes);
    DataException e =
        assertThrows(DataException.class, () -> downloader.verify(dir, DataSource.MNIST));
    assertTrue(
        e.getMessage()
            .startsWith(
                f
                    + ": SHA-256 mismatch: expected "
                    + DataSource.MNIST.sha256Sums().get(MnistFiles.TEST_LABELS)
                    + ", got "),
        e.getMessage());
  }

  @Test
  void flippedByteRejectedAndNothingLeft() throws Exception {
    DataException e =
        assertThrows(
            DataException.class,
            () -> downloader.ensure(dir, presentSums(), URI.create(base + "/flip/"), "MNIST"));
    String url = base + "/flip/" + MnistFiles.TRAIN_LABELS;
    assertTrue(
        e.getMessage()
            .startsWith(
                url
                    + ": SHA-256 mismatch: expected "
                    + DataSource.MNIST.sha256Sums().get(MnistFiles.TRAIN_LABELS)
                    + ", got "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(" (corrupt or wrong mirror)"), e.getMessage());
    assertDirEmpty();
  }

  @Test
  void connectionCutShortOfContentLengthRejectedAndNothingLeft() throws Exception {
    byte[] whole = Files.readAllBytes(TestData.mnistDir().resolve(MnistFiles.TEST_IMAGES));
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread cutter =
          new Thread(
              () -> {
                try (Socket s = listener.accept()) {
                  s.getInputStream().read(new byte[8192]);
                  OutputStream out = s.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: " + whole.length + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.write(whole, 0, 100_000);
                  out.flush();
                } catch (IOException ignored) {
                  // the test fails on its own if this does
                }
              });
      cutter.start();
      String mirror = "http://127.0.0.1:" + listener.getLocalPort() + "/";
      DataException e =
          assertThrows(
              DataException.class,
              () ->
                  downloader.ensure(
                      dir,
                      Map.of(
                          MnistFiles.TEST_IMAGES,
                          DataSource.MNIST.sha256Sums().get(MnistFiles.TEST_IMAGES)),
                      URI.create(mirror),
                      "MNIST"));
      cutter.join();
      assertTrue(
          e.getMessage().startsWith("cannot download " + mirror + MnistFiles.TEST_IMAGES + ": "),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
    }
    assertDirEmpty();
  }

  @Test
  void stalledDownloadGivesUpAndLeavesNothing() throws Exception {
    // the server sends half the file, then nothing, the connection open
    long half = Files.size(TestData.mnistDir().resolve(MnistFiles.TRAIN_LABELS)) / 2;
    AtomicLong received = new AtomicLong();
    DownloadProgress counting =
        (url, length) ->
            new DownloadProgress.Transfer() {
              @Override
              public OutputStream track(OutputStream sink) {
                return new FilterOutputStream(sink) {
                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    received.addAndGet(len);
                  }
                };
              }

              @Override
              public void end(boolean ok) {}
            };
    Downloader watched = new Downloader(counting, STALL, now::get, Downloader.MAX_FILE_BYTES);
    FutureTask<Void> download =
        new FutureTask<>(
            () -> {
              watched.ensure(dir, presentSums(), URI.create(base + "/stall/"), "MNIST");
              return null;
            });
    new Thread(download, "stalled-download").start();
    Await.until(
        () -> "half the file received (" + received.get() + " of " + half + " bytes)",
        () -> received.get() == half || download.isDone());
    assertFalse(download.isDone(), "gave up while its clock stood still");
    now.addAndGet(STALL.toNanos() + 1); // no byte for just over the limit
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> download.get(60, TimeUnit.SECONDS));
    assertEquals(
        "cannot download "
            + base
            + "/stall/"
            + MnistFiles.TRAIN_LABELS
            + ": no data for 2 s after "
            + half
            + " bytes",
        e.getCause().getMessage());
    assertTrue(e.getCause() instanceof DataException, e.getCause().toString());
    assertDirEmpty();
  }

  @Test
  void truncatedBodyRejectedAndNothingLeft() throws Exception {
    DataException e =
        assertThrows(
            DataException.class,
            () -> downloader.ensure(dir, presentSums(), URI.create(base + "/short/"), "MNIST"));
    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
    assertDirEmpty();
  }

  @Test
  void http404IsOneLine() throws Exception {
    DataException e =
        assertThrows(
            DataException.class,
            () -> downloader.ensure(dir, presentSums(), URI.create(base + "/gone/"), "MNIST"));
    assertEquals(
        "cannot download " + base + "/gone/" + MnistFiles.TRAIN_LABELS + ": HTTP 404",
        e.getMessage());
    assertDirEmpty();
  }

  @Test
  void unreachableMirrorSaysHowToWorkOffline() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path target = dir.resolve("mnist");
    URI mirror = URI.create("http://127.0.0.1:" + port + "/mnist/");
    TfmnistException e =
        assertThrows(
            TfmnistException.class, () -> downloader.ensure(target, DataSource.MNIST, mirror));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("cannot download " + mirror + MnistFiles.TRAIN_IMAGES + ": "), msg);
    assertTrue(
        msg.endsWith(
            "; copy the four MNIST files into " + target + " or pass --data-dir DIR (offline)"),
        msg);
    assertEquals(1, msg.lines().count());
    try (Stream<Path> files = Files.list(target)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void downloadedFilesAreReadableByAllLikeOtherFiles() throws Exception {
    downloader.ensure(dir, presentSums(), URI.create(base + "/good/"), "MNIST");
    Path ordinary = Files.createFile(dir.resolve("made-by-the-same-process"));
    for (String name : PRESENT) {
      assertEquals(
          Files.getPosixFilePermissions(ordinary),
          Files.getPosixFilePermissions(dir.resolve(name)),
          name + ": mode follows the umask");
      assertTrue(
          Files.getPosixFilePermissions(dir.resolve(name))
              .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
          name);
    }
  }

  @Test
  void aFileMirrorIsOneLineNotAStackTrace() {
    DataException e =
        assertThrows(
            DataException.class,
            () -> downloader.ensure(dir, presentSums(), URI.create("file:///x"), "MNIST"));
    assertEquals(
        "--mirror file:///x: not an http:// or https:// URL; for files already on this"
            + " machine pass --data-dir DIR",
        e.getMessage());
  }

  @Test
  void aFullDiskIsOneLineAndLeavesNothing() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(64)) {
      Path target = Files.createDirectory(disk.dir().resolve("mnist"));
      disk.fill();
      Map<String, String> labels =
          Map.of(MnistFiles.TEST_LABELS, presentSums().get(MnistFiles.TEST_LABELS));
      DataException e =
          assertThrows(
              DataException.class,
              () -> downloader.ensure(target, labels, URI.create(base + "/good/"), "MNIST"));
      assertEquals(
          "cannot download "
              + base
              + "/good/"
              + MnistFiles.TEST_LABELS
              + ": cannot write "
              + target
              + ": No space left on device",
          e.getMessage());
      assertEquals(List.of("mnist"), disk.contents(disk.dir()), "no temporary file left");
      disk.free();
      downloader.ensure(target, labels, URI.create(base + "/good/"), "MNIST");
      assertEquals(10_000, IdxFile.readLabels(target.resolve(MnistFiles.TEST_LABELS)).length);
    }
  }
}
