package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Pngs;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/** The decoder's bounds (file size, declared size, decoded size) and grey depths. */
@Tag("data")
class ImageDecoderTest {
  @TempDir Path dir;

  @Test
  void a49MegapixelPictureIsSubsampledAndPreparedWithinTheStatedMemory() throws Exception {
    // a "1": a dark vertical bar on white, 7000 x 7000 (49 MP, under the 50 MP limit), 8-bit grey
    Path file =
        Pngs.write(
            dir.resolve("big.png"),
            7000,
            7000,
            8,
            (x, y) -> x >= 3200 && x < 3800 && y >= 1000 && y < 6000 ? 0 : 255);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    BufferedImage image = ImageDecoder.read(file);
    float[] x = ImagePreprocessor.preprocess(image, file.toString());
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    System.out.println(
        "49 MP PNG: decoded "
            + image.getWidth()
            + "x"
            + image.getHeight()
            + ", allocated "
            + (allocated >> 20)
            + " MiB");
    assertEquals(1400, image.getWidth(), "subsampled by 5: 1400 x 1400 = 1.96 MP");
    assertTrue(
        allocated < 150L << 20, "allocated " + (allocated >> 20) + " MiB for a 49 MP picture");
    assertTrue(x[14 * 28 + 14] > 0.9f, "the bar is in the middle");
    assertEquals(0f, x[14 * 28 + 4]);
  }

  @Test
  void sizesAreCheckedBeforeDecoding() throws Exception {
    assertError(
        Files.write(dir.resolve("wide.png"), Pngs.declaring(30_000, 10)),
        "image too large (30000x10; at most 20000 a side and 50 megapixels)");
    assertError(
        Files.write(dir.resolve("many.png"), Pngs.declaring(8000, 8000)),
        "image too large (8000x8000;");
    Path huge = dir.resolve("huge.png");
    try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(ImageDecoder.MAX_FILE_BYTES + 1); // sparse: nothing is read
    }
    assertError(huge, "file too large (more than 64 MiB");
  }

  @Test
  void subsamplingKeepsTheDecodedPictureWithinTwoMegapixels() {
    assertEquals(1, ImageDecoder.subsampling(1600, 1250));
    assertEquals(2, ImageDecoder.subsampling(1601, 1250));
    assertEquals(5, ImageDecoder.subsampling(7000, 7000));
    assertEquals(1, ImageDecoder.subsampling(20_000, 100));
  }

  @Test
  void sixteenAndThirtyTwoBitAndFloatGreyReadLikeEightBit() throws Exception {
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    int index = 3;
    Pngs.Pixels digit =
        (x, y) -> 255 - Math.round(test.images()[index * 784 + (y / 4) * 28 + x / 4] * 255);
    float[] eight = ImagePreprocessor.load(Pngs.write(dir.resolve("8.png"), 112, 112, 8, digit));
    BufferedImage sixteenBit =
        ImageDecoder.read(Pngs.write(dir.resolve("16.png"), 112, 112, 16, digit));
    assertEquals(16, sixteenBit.getColorModel().getComponentSize(0));
    assertArrayEquals(eight, ImagePreprocessor.preprocess(sixteenBit, "16"), 1e-6f);
    assertArrayEquals(
        eight, ImagePreprocessor.preprocess(grey(DataBuffer.TYPE_INT, digit), "32"), 1e-6f);
    assertArrayEquals(
        eight, ImagePreprocessor.preprocess(grey(DataBuffer.TYPE_FLOAT, digit), "float"), 1e-6f);
    assertTrue(Arrays.equals(eight, new float[784]) == false);
  }

  /** A 112x112 grey picture with 32-bit unsigned integer or float samples. */
  private static BufferedImage grey(int type, Pngs.Pixels digit) {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            new int[] {32},
            false,
            false,
            Transparency.OPAQUE,
            type);
    WritableRaster raster = model.createCompatibleWritableRaster(112, 112);
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        int g = digit.at(x, y);
        if (type == DataBuffer.TYPE_FLOAT) {
          raster.setSample(x, y, 0, g / 255f);
        } else {
          raster.setSample(x, y, 0, (int) (g * 16843009L)); // 0..255 -> 0..2^32-1, unsigned
        }
      }
    }
    return new BufferedImage(model, raster, false, null);
  }

  private static void assertError(Path file, String expected) {
    TfmnistException e = assertThrows(TfmnistException.class, () -> ImageDecoder.read(file));
    assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
  }
}
