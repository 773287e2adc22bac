package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;

@Tag("data")
class MnistLoaderTest {
  @TempDir Path tmp;

  @Test
  void loadsMnistSmall() throws Exception {
    DataSplits splits = MnistLoader.load(TestData.mnistSmallDir());
    assertEquals(8000, splits.train().size());
    assertEquals(2000, splits.test().size());
    assertEquals(784, splits.train().features());
    assertArrayEquals(
        TestData.mnistSmallFirstTrainLabels(), Arrays.copyOf(splits.train().labels(), 10));
    assertArrayEquals(
        TestData.mnistSmallFirstTestLabels(), Arrays.copyOf(splits.test().labels(), 10));
    for (Dataset d : new Dataset[] {splits.train(), splits.test()}) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : d.images()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertEquals(0f, min);
      assertEquals(1f, max);
    }
  }

  @Test
  void loadTestReadsRealMnistWithoutTrainingImages() throws Exception {
    Dataset test = MnistLoader.loadTest(TestData.mnistDir());
    assertEquals(10_000, test.size());
    assertEquals(784, test.features());
    assertEquals(7, test.labels()[0]);
  }

  @Test
  void missingFilesAreEachNamed() {
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> MnistLoader.load(TestData.mnistDir()));
    assertEquals(
        TestData.mnistDir()
            + ": missing train-images-idx3-ubyte.gz"
            + " (download them, copy them there, or pass --data-dir DIR)",
        e.getMessage());
    e = assertThrows(TfmnistException.class, () -> MnistLoader.load(tmp));
    for (String name : MnistFiles.ALL) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    assertEquals(1, e.getMessage().lines().count());
    e = assertThrows(TfmnistException.class, () -> MnistLoader.loadTest(tmp));
    assertEquals(
        tmp
            + ": missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"
            + " (download them, copy them there, or pass --data-dir DIR)",
        e.getMessage());
  }

  @Test
  void rawFilesUsedWhenGzipAbsent() throws Exception {
    for (String name : MnistFiles.TEST) {
      try (InputStream in =
          new GZIPInputStream(Files.newInputStream(TestData.mnistSmallDir().resolve(name)))) {
        Files.write(tmp.resolve(MnistFiles.rawName(name)), in.readAllBytes());
      }
    }
    Dataset raw = MnistLoader.loadTest(tmp);
    Dataset gz = MnistLoader.loadTest(TestData.mnistSmallDir());
    assertArrayEquals(gz.labels(), raw.labels());
    assertArrayEquals(gz.images(), raw.images());
  }

  @Test
  void imageCountMustMatchLabelCount() throws Exception {
    TestData.writeImages(
        tmp.resolve(MnistFiles.TEST_IMAGES), 3, 2, 2, TestData.pixels(3, 2, 2), true);
    TestData.writeLabels(tmp.resolve(MnistFiles.TEST_LABELS), 4, TestData.labels(4), true);
    DataException e = assertThrows(DataException.class, () -> MnistLoader.loadTest(tmp));
    assertEquals(
        tmp.resolve(MnistFiles.TEST_IMAGES)
            + ": 3 images, but "
            + tmp.resolve(MnistFiles.TEST_LABELS)
            + " has 4 labels",
        e.getMessage());
  }

  @Test
  void scalesPixelsTo01() {
    assertArrayEquals(
        new float[] {0f, 1f / 255f, 128f / 255f, 1f},
        MnistLoader.scale(new byte[] {0, 1, (byte) 128, (byte) 255}));
  }
}
