package org.tfmnist.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;
import org.tfmnist.data.MnistFiles;

/**
 * The data every other test reads is there. When it is not, this is the one test {@link
 * TestDataGate} lets run, and it fails with the line that says how to supply it.
 */
@Tag("data")
class TestDataAvailableTest {
  @Test
  void testDataIsPresent() {
    TestData.ensure();
    assertEquals(List.of(), MnistFiles.missing(TestData.mnistDir(), TestDataCache.MNIST_NEEDED));
    assertEquals(List.of(), MnistFiles.missing(TestData.mnistSmallDir(), MnistFiles.ALL));
    assertEquals(List.of(), MnistFiles.missing(TestData.fashionMnistDir(), MnistFiles.ALL));
    assertTrue(Files.isRegularFile(TestData.digitsFile()), TestData.digitsFile().toString());
  }
}
