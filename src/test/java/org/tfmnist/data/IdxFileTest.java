package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

@Tag("data")
class IdxFileTest {
  @TempDir Path tmp;

  @Test
  void readsRealMnistTestImages() throws Exception {
    IdxImages images = IdxFile.readImages(TestData.mnistDir().resolve(MnistFiles.TEST_IMAGES));
    assertEquals(10_000, images.count());
    assertEquals(28, images.rows());
    assertEquals(28, images.cols());
    assertEquals(7_840_000, images.pixels().length);
  }

  @Test
  void readsRealMnistLabels() throws Exception {
    int[] test = IdxFile.readLabels(TestData.mnistDir().resolve(MnistFiles.TEST_LABELS));
    assertEquals(10_000, test.length);
    assertEquals(7, test[0]);
    int[] train = IdxFile.readLabels(TestData.mnistDir().resolve(MnistFiles.TRAIN_LABELS));
    assertEquals(60_000, train.length);
    assertEquals(5, train[0]);
  }

  @Test
  void rawFileReadsLikeGzip() throws Exception {
    Path gz = TestData.mnistDir().resolve(MnistFiles.TEST_LABELS);
    Path raw = tmp.resolve("labels-without-extension.gz.raw");
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      Files.write(raw, in.readAllBytes());
    }
    assertArrayEquals(IdxFile.readLabels(gz), IdxFile.readLabels(raw));
  }

  @Test
  void gzipDetectedByMagicNotName() throws Exception {
    Path gzNamedRaw =
        TestData.writeLabels(tmp.resolve("labels-idx1-ubyte"), 3, new byte[] {1, 2, 3}, true);
    Path rawNamedGz =
        TestData.writeLabels(tmp.resolve("labels-idx1-ubyte.gz"), 3, new byte[] {4, 5, 6}, false);
    assertArrayEquals(new int[] {1, 2, 3}, IdxFile.readLabels(gzNamedRaw));
    assertArrayEquals(new int[] {4, 5, 6}, IdxFile.readLabels(rawNamedGz));
  }

  @Test
  void truncatedRawImages() throws Exception {
    Path f =
        TestData.writeImages(
            tmp.resolve("img"), 3, 4, 4, Arrays.copyOf(TestData.pixels(3, 4, 4), 40), false);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readImages(f));
    assertEquals(f + ": truncated: expected 48 pixel bytes, got 40", e.getMessage());
  }

  @Test
  void truncatedGzipImagesPayload() throws Exception {
    Path f =
        TestData.writeImages(
            tmp.resolve("img.gz"), 3, 4, 4, Arrays.copyOf(TestData.pixels(3, 4, 4), 40), true);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readImages(f));
    assertEquals(f + ": truncated: expected 48 pixel bytes, got 40", e.getMessage());
  }

  @Test
  void cutOffGzipFile() throws Exception {
    byte[] whole = Files.readAllBytes(TestData.mnistDir().resolve(MnistFiles.TEST_IMAGES));
    Path f = Files.write(tmp.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(whole, 1000));
    DataException e = assertThrows(DataException.class, () -> IdxFile.readImages(f));
    assertTrue(
        e.getMessage().startsWith(f + ": truncated: expected 7840000 pixel bytes, got "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(gzip stream cut off)"), e.getMessage());
  }

  @Test
  void trailingBytesRawAndGzip() throws Exception {
    for (boolean gzip : new boolean[] {false, true}) {
      Path f = TestData.writeLabels(tmp.resolve("lab" + gzip), 2, new byte[] {1, 2, 3}, gzip);
      DataException e = assertThrows(DataException.class, () -> IdxFile.readLabels(f));
      assertEquals(f + ": trailing bytes: expected 2 label bytes, got 3", e.getMessage());
    }
  }

  @Test
  void wrongMagic() throws Exception {
    Path labels = TestData.mnistDir().resolve(MnistFiles.TEST_LABELS);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readImages(labels));
    assertEquals(
        labels + ": bad magic number 0x00000801, expected 0x00000803" + " (not an IDX image file)",
        e.getMessage());
    Path junk = Files.writeString(tmp.resolve("junk.gz"), "hello, not an IDX file");
    e = assertThrows(DataException.class, () -> IdxFile.readLabels(junk));
    assertTrue(e.getMessage().startsWith(junk + ": bad magic number 0x68656c6c"), e.getMessage());
  }

  @Test
  void emptyFile() throws Exception {
    Path f = Files.write(tmp.resolve("empty"), new byte[0]);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readLabels(f));
    assertEquals(f + ": truncated header: no magic number", e.getMessage());
  }

  @Test
  void insaneImageSize() throws Exception {
    Path f = TestData.writeImages(tmp.resolve("img"), 1, 0, 28, new byte[0], true);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readImages(f));
    assertTrue(e.getMessage().startsWith(f + ": implausible image size 0x28"), e.getMessage());
    Path g = TestData.writeImages(tmp.resolve("img2"), -5, 28, 28, new byte[0], false);
    e = assertThrows(DataException.class, () -> IdxFile.readImages(g));
    assertEquals(g + ": negative image count -5", e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesFirstBadIndex() throws Exception {
    Path f =
        TestData.writeLabels(tmp.resolve("lab.gz"), 5, new byte[] {0, 9, 10, 3, (byte) 255}, true);
    DataException e = assertThrows(DataException.class, () -> IdxFile.readLabels(f));
    assertEquals(f + ": label 10 at index 2 is not 0..9", e.getMessage());
  }

  @Test
  void forgedHugeImageCountRejectedFromHeader() throws Exception {
    for (boolean gzip : new boolean[] {false, true}) {
      Path f =
          TestData.writeImages(
              tmp.resolve("forged" + gzip),
              2_000_000_000,
              28,
              28,
              TestData.pixels(2, 28, 28),
              gzip);
      DataException e = assertNoBigAllocation(() -> IdxFile.readImages(f));
      assertTrue(
          e.getMessage().startsWith(f + ": image count 2000000000 of 28x28 needs"), e.getMessage());
    }
  }

  @Test
  void forgedCountThatFitsAnArrayIsFoundAtEndOfGzipBeforeAllocating() throws Exception {
    // 2,000,000 x 28 x 28 = 1.568e9 bytes would fit one array; the stream holds 2 images.
    Path images =
        TestData.writeImages(
            tmp.resolve("forged-img.gz"), 2_000_000, 28, 28, TestData.pixels(2, 28, 28), true);
    DataException e = assertNoBigAllocation(() -> IdxFile.readImages(images));
    assertEquals(images + ": truncated: expected 1568000000 pixel bytes, got 1568", e.getMessage());
    Path labels =
        TestData.writeLabels(
            tmp.resolve("forged-lab.gz"), 2_000_000_000, TestData.labels(100), true);
    e = assertNoBigAllocation(() -> IdxFile.readLabels(labels));
    assertEquals(labels + ": truncated: expected 2000000000 label bytes, got 100", e.getMessage());
    Path rawLabels =
        TestData.writeLabels(tmp.resolve("forged-lab"), 2_000_000_000, TestData.labels(100), false);
    e = assertNoBigAllocation(() -> IdxFile.readLabels(rawLabels));
    assertEquals(
        rawLabels + ": truncated: expected 2000000000 label bytes, got 100", e.getMessage());
  }

  private interface Read {
    void run() throws Exception;
  }

  /**
   * Runs read, expects a DataException with under 16 MB allocated meanwhile: the bound that shows
   * the forged header was not believed, counted in bytes, not in time (a wall-clock bound depends
   * on the machine's load). The timeout only stops a read that hangs.
   */
  private static DataException assertNoBigAllocation(Read read) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          com.sun.management.ThreadMXBean mx =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long before = mx.getCurrentThreadAllocatedBytes();
          DataException e = assertThrows(DataException.class, read::run);
          long allocated = mx.getCurrentThreadAllocatedBytes() - before;
          assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes");
          return e;
        });
  }

  @Test
  void ioErrorsAreDataExceptions() {
    Path missing = Path.of("no", "such", "file.gz");
    DataException e = assertThrows(DataException.class, () -> IdxFile.readLabels(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }
}
