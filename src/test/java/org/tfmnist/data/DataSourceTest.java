package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tfmnist.TfmnistException;

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
    TfmnistException e = assertThrows(TfmnistException.class,
        () -> DataSource.fromCliName("cifar"));
    assertEquals("unknown data set 'cifar' (expected mnist or fashion-mnist)", e.getMessage());
  }
}
