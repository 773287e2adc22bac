package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;

@Tag("data")
class DataSourceTest {
  @Test
  void everySourceKnowsAllFourSums() {
    for (DataSource s : DataSource.values()) {
      assertEquals(MnistFiles.ALL.size(), s.sha256Sums().size());
      for (String name : MnistFiles.ALL) {
        assertTrue(s.sha256Sums().get(name).matches("[0-9a-f]{64}"), s + " " + name);
        assertTrue(s.acceptedSha256(name).contains(s.sha256Sums().get(name)));
      }
      assertTrue(s.mirror().toString().endsWith("/"));
    }
  }

  @Test
  void cliNamesAndDirs() throws TfmnistException {
    assertEquals("mnist", DataSource.MNIST.cliName());
    assertEquals("fashion-mnist", DataSource.FASHION_MNIST.cliName());
    assertEquals(DataSource.FASHION_MNIST, DataSource.fromCliName("fashion-mnist"));
    assertEquals(Path.of("data", "mnist"), DataSource.MNIST.defaultDir());
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> DataSource.fromCliName("cifar"));
    assertEquals("unknown data set 'cifar' (expected mnist or fashion-mnist)", e.getMessage());
  }

  /**
   * The MNIST sums the project knows, against the real files in ../shared/data/mnist. Only 3 of the
   * 4 files are there: train-images-idx3-ubyte.gz is not on these machines, so its sum is checked
   * only by a real download (DownloaderTest serves the other three).
   */
  @Test
  void knownMnistSumsMatchTheRealFiles() throws Exception {
    Path dir = TestData.mnistDir();
    assertFalse(
        Files.exists(dir.resolve(MnistFiles.TRAIN_IMAGES)),
        "train images appeared in shared data: check their sum here too");
    for (String name :
        List.of(MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS)) {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve(name)));
      assertEquals(DataSource.MNIST.sha256Sums().get(name), HexFormat.of().formatHex(digest), name);
    }
  }
}
