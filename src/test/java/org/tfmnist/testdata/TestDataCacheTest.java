package org.tfmnist.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.IdxFile;
import org.tfmnist.data.IdxImages;
import org.tfmnist.data.MnistFiles;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.data.download.Downloader;

/**
 * The fallback for machines without ../shared/data, against a local HTTP server that serves the
 * real MNIST files: the cache is filled, verified and cut, and a second run downloads nothing.
 */
@Tag("data")
class TestDataCacheTest {
  @TempDir Path tmp;

  private HttpServer server;
  private String base;
  private final AtomicInteger requests = new AtomicInteger();
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/mnist/", ex -> serve(ex, "/mnist/", false));
    server.createContext("/flip/", ex -> serve(ex, "/flip/", true));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void serve(HttpExchange ex, String prefix, boolean flip) throws IOException {
    requests.incrementAndGet();
    Path file =
        TestData.mnistDir().resolve(ex.getRequestURI().getPath().substring(prefix.length()));
    if (!Files.isRegularFile(file)) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (flip) {
      bytes[bytes.length / 2] ^= 1;
    }
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private TestDataCache cache(Path root, String mnistMirror, String fashionMirror) {
    return new TestDataCache(
        root,
        URI.create(mnistMirror),
        URI.create(fashionMirror),
        tmp.resolve("no-debian-package"),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
  }

  @Test
  void fillsVerifiesAndCutsOnceThenDownloadsNothing() throws Exception {
    Path root = tmp.resolve("cache");
    TestDataCache first = cache(root, base + "/mnist/", base + "/fashion/");
    Path mnist = first.mnist();
    assertEquals(3, requests.get(), progress.toString());
    assertEquals(
        sorted(TestDataCache.MNIST_NEEDED),
        sorted(new Downloader(System.out).verify(mnist, DataSource.MNIST)));
    assertEquals(List.of(MnistFiles.TRAIN_IMAGES), MnistFiles.missing(mnist, MnistFiles.ALL));
    for (String name : TestDataCache.MNIST_NEEDED) {
      assertArrayEquals(
          Files.readAllBytes(TestData.mnistDir().resolve(name)),
          Files.readAllBytes(mnist.resolve(name)),
          name);
    }

    Path small = first.mnistSmall();
    DataSplits splits = MnistLoader.load(small);
    assertEquals(MnistSmallCut.TRAIN, splits.train().size());
    assertEquals(MnistSmallCut.TEST, splits.test().size());
    assertArrayEquals(MnistSmallCut.FIRST_TRAIN_LABELS, Arrays.copyOf(splits.train().labels(), 10));
    assertArrayEquals(MnistSmallCut.FIRST_TEST_LABELS, Arrays.copyOf(splits.test().labels(), 10));
    assertIsACutOfMnistTest(mnist, small);
    Path again = Files.createDirectory(tmp.resolve("again"));
    MnistSmallCut.write(mnist, again);
    for (String name : MnistFiles.ALL) {
      assertArrayEquals(
          Files.readAllBytes(small.resolve(name)),
          Files.readAllBytes(again.resolve(name)),
          "the cut is deterministic: " + name);
    }
    try (Stream<Path> left = Files.list(root)) {
      assertEquals(
          List.of("mnist", "mnist-small"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no .part leftovers");
    }

    Map<Path, FileTime> written = modified(mnist, small);
    TestDataCache second = cache(root, base + "/mnist/", base + "/fashion/");
    assertEquals(mnist, second.mnist());
    assertEquals(small, second.mnistSmall());
    assertEquals(3, requests.get(), "the second run downloads nothing");
    assertEquals(written, modified(mnist, small), "nor rewrites anything");
  }

  @Test
  void corruptMirrorFillsNothingAndSaysSoInOneLine() {
    Path root = tmp.resolve("cache");
    MissingTestData e =
        assertThrows(
            MissingTestData.class,
            () -> cache(root, base + "/flip/", base + "/flip/").mnistSmall());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("TFMNIST_MNIST_MIRROR"), e.getMessage());
    assertEquals(0, e.getStackTrace().length);
    assertEquals(MnistFiles.ALL, MnistFiles.missing(root.resolve("mnist"), MnistFiles.ALL));
    assertTrue(Files.notExists(root.resolve("mnist-small")));
  }

  @Test
  void unreachableMirrorsSayWhatToSupply() throws IOException {
    String closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = "http://127.0.0.1:" + s.getLocalPort() + "/";
    }
    Path root = tmp.resolve("cache");
    TestDataCache offline = cache(root, closed, closed);
    MissingTestData mnist = assertThrows(MissingTestData.class, offline::mnist);
    assertEquals(
        "no MNIST test files: ../shared/data is not beside the project and "
            + root.resolve("mnist")
            + " cannot be filled (cannot download "
            + closed
            + "train-labels-idx1-ubyte.gz: connection refused); set TFMNIST_MNIST_MIRROR=URL of a"
            + " mirror holding them, or copy train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
            + " t10k-labels-idx1-ubyte.gz into "
            + root.resolve("mnist")
            + " (TFMNIST_TEST_DATA names another cache directory)",
        mnist.getMessage());
    MissingTestData fashion = assertThrows(MissingTestData.class, offline::fashionMnist);
    assertEquals(1, fashion.getMessage().lines().count(), fashion.getMessage());
    assertTrue(
        fashion.getMessage().contains("TFMNIST_FASHION_MIRROR")
            && fashion.getMessage().contains(root.resolve("fashion-mnist").toString()),
        fashion.getMessage());
    assertEquals(0, requests.get());
  }

  @Test
  void debianFashionMnistIsUsedWhenInstalled() throws IOException {
    Path debian = Files.createDirectory(tmp.resolve("debian"));
    for (String name : MnistFiles.ALL) {
      Files.createFile(debian.resolve(name));
    }
    TestDataCache cache =
        new TestDataCache(
            tmp.resolve("cache"),
            URI.create(base + "/mnist/"),
            URI.create(base + "/fashion/"),
            debian,
            System.out);
    assertEquals(debian, cache.fashionMnist());
    assertEquals(0, requests.get());
  }

  /** Every (label, image) of MNIST's test set is in exactly one of mnist-small's two halves. */
  private static void assertIsACutOfMnistTest(Path mnist, Path small) throws Exception {
    Map<String, Integer> count = new HashMap<>();
    IdxImages images = IdxFile.readImages(mnist.resolve(MnistFiles.TEST_IMAGES));
    int[] labels = IdxFile.readLabels(mnist.resolve(MnistFiles.TEST_LABELS));
    for (int i = 0; i < labels.length; i++) {
      count.merge(key(images, labels, i), 1, Integer::sum);
    }
    for (String[] half :
        new String[][] {
          {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS},
          {MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS}
        }) {
      IdxImages cutImages = IdxFile.readImages(small.resolve(half[0]));
      int[] cutLabels = IdxFile.readLabels(small.resolve(half[1]));
      for (int i = 0; i < cutLabels.length; i++) {
        count.merge(key(cutImages, cutLabels, i), -1, Integer::sum);
      }
    }
    assertTrue(
        count.values().stream().allMatch(c -> c == 0), "not a partition of MNIST's test set");
  }

  private static String key(IdxImages images, int[] labels, int i) {
    int n = images.features();
    return labels[i] + ":" + new String(images.pixels(), i * n, n, StandardCharsets.ISO_8859_1);
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }

  private static Map<Path, FileTime> modified(Path... dirs) throws IOException {
    Map<Path, FileTime> times = new HashMap<>();
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : new ArrayList<>(files.toList())) {
          times.put(f, Files.getLastModifiedTime(f));
        }
      }
    }
    return times;
  }
}
