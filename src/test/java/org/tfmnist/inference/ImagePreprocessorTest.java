package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Photos;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/** The preprocessor on real MNIST digits and on files that are not digits. */
@Tag("data")
class ImagePreprocessorTest {
  static Dataset test;
  @TempDir Path dir;

  @BeforeAll
  static void load() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
  }

  @Test
  void mnistDigitsComeBackNearlyUnchangedInEitherPolarity() throws Exception {
    double sum = 0;
    for (int i = 0; i < 20; i++) {
      float[] original = Arrays.copyOfRange(test.images(), i * 784, (i + 1) * 784);
      float[] light =
          ImagePreprocessor.load(Photos.mnistPng(test.images(), i, false, dir.resolve(i + ".png")));
      float[] dark =
          ImagePreprocessor.load(
              Photos.mnistPng(test.images(), i, true, dir.resolve(i + "-inv.png")));
      assertArrayEquals(light, dark, 1e-6f, "image " + i + ": polarity must not matter");
      for (float f : light) {
        assertTrue(f >= 0 && f <= 1);
      }
      sum += correlation(original, light);
    }
    assertTrue(sum / 20 > 0.9, "mean correlation with the original " + sum / 20);
  }

  @Test
  void aLargeColourPhotoIsCentredByMassInThe20PixelBox() throws Exception {
    Path file = Photos.render(test.images(), 1, new Random(1), dir); // a JPEG, dark on tinted paper
    float[] x = ImagePreprocessor.load(file);
    int minX = 28;
    int maxX = -1;
    int minY = 28;
    int maxY = -1;
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < 784; i++) {
      if (x[i] > 0.05) {
        minX = Math.min(minX, i % 28);
        maxX = Math.max(maxX, i % 28);
        minY = Math.min(minY, i / 28);
        maxY = Math.max(maxY, i / 28);
      }
      mass += x[i];
      mx += x[i] * (i % 28 + 0.5);
      my += x[i] * (i / 28 + 0.5);
    }
    assertTrue(
        Math.max(maxX - minX, maxY - minY) + 1 <= 20
            && Math.max(maxX - minX, maxY - minY) + 1 >= 17,
        "box " + minX + ".." + maxX + " x " + minY + ".." + maxY);
    assertEquals(14.5, mx / mass, 0.75);
    assertEquals(14.5, my / mass, 0.75);
  }

  @Test
  void transparentPngIsCompositedOnWhite() throws Exception {
    BufferedImage image = new BufferedImage(100, 60, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0, 0, 200, 255));
    g.fillRect(45, 10, 10, 40); // a "1": blue ink on a fully transparent background
    g.dispose();
    Path file = dir.resolve("one.png");
    ImageIO.write(image, "png", file.toFile());
    float[] x = ImagePreprocessor.load(file);
    assertEquals(1f, max(x), 1e-6f);
    assertEquals(0f, x[0]);
    assertTrue(x[14 * 28 + 14] > 0.5f, "the stroke is in the middle");
  }

  @Test
  void unusableFilesAreOneLineErrorsNamingTheFile() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.png"));
    assertError(empty, "empty file");
    Path text = Files.writeString(dir.resolve("text.png"), "this is not a picture\n");
    assertError(text, "not an image, or an unsupported format");
    Path good = Photos.mnistPng(test.images(), 0, false, dir.resolve("good.png"));
    byte[] bytes = Files.readAllBytes(good);
    Path truncated =
        Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
    assertError(truncated, "cannot decode PNG image");
    BufferedImage white = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 50, 50);
    g.dispose();
    Path blank = dir.resolve("blank.bmp");
    ImageIO.write(white, "bmp", blank.toFile());
    assertError(blank, "no digit found");
    assertError(dir.resolve("missing.png"), "no such file");
  }

  private static void assertError(Path file, String expected) {
    TfmnistException e = assertThrows(TfmnistException.class, () -> ImagePreprocessor.load(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static float max(float[] x) {
    float m = 0;
    for (float f : x) {
      m = Math.max(m, f);
    }
    return m;
  }

  private static double correlation(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / Math.sqrt(aa * bb);
  }
}
