package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.report.ImageGrid;

/**
 * The write-ups' options on the ordinary commands: {@code beginners --loss sum --validation-size},
 * {@code train --keep-prob}, {@code predict --preprocess writeup}, {@code show --dataset digits
 * --inverse}.
 */
@Tag("data")
class WriteupOptionsTest {
  @TempDir Path tmp;

  @Test
  void beginnersAsTheWriteupWritesItThenItsPhotoRecipe() throws Exception {
    Path dir = tmp.resolve("beginners");
    String data = TestData.mnistSmallDir().toString();
    CliRun run =
        CliRun.of(
            "beginners",
            "--loss",
            "sum",
            "--learning-rate",
            "0.01",
            "--epochs",
            "1",
            "--validation-size",
            "500",
            "--data-dir",
            data,
            "--run-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("7500 examples"), "8,000 less the first 500: " + run.out());
    String csv = Files.readString(dir.resolve("metrics.csv"));
    assertTrue(csv.startsWith("epoch,step,loss,accuracy,val_loss,val_accuracy,"), csv);
    String settings = Files.readString(dir.resolve("run.properties"));
    assertTrue(settings.contains("loss=sum") && settings.contains("validation-size=500"), settings);
    assertTrue(
        run.testAccuracy() > 0.85, "one epoch of the write-up's step: " + run.testAccuracy());

    // The write-up's photo recipe on dark-on-light renderings of test digits.
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    String[] args = new String[13];
    args[0] = "predict";
    args[1] = "--model";
    args[2] = dir.resolve("saved_model").toString();
    args[3] = "--preprocess";
    args[4] = "writeup";
    for (int i = 0; i < 8; i++) {
      args[5 + i] = photo(test, i).toString();
    }
    CliRun predict = CliRun.of(args);
    assertEquals(0, predict.exitCode(), predict.err());
    Matcher m =
        Pattern.compile("(?m)^.*photo-(\\d+)-label-(\\d)\\.png: (\\d) ").matcher(predict.out());
    int correct = 0;
    int seen = 0;
    while (m.find()) {
      seen++;
      correct += m.group(2).equals(m.group(3)) ? 1 : 0;
    }
    assertEquals(8, seen, predict.out());
    assertTrue(correct >= 6, correct + " of 8 right with the write-up's recipe:\n" + predict.out());

    CliRun bad = CliRun.of("predict", "--model", args[2], "--preprocess", "pil", args[5]);
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--preprocess must be mnist or writeup, got pil"), bad.err());
  }

  @Test
  void keepProbOnlyForModelsWithDropout() throws Exception {
    CliRun run =
        CliRun.of("train", "--model", "mlp16", "--keep-prob", "0.5", "--run-dir", tmp.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--keep-prob: model mlp16 has no dropout"), run.err());
    assertFalse(Files.exists(tmp.resolve("run.properties")));
  }

  @Test
  void showDrawsEightByEightDigitsBesideTheirInverses() throws Exception {
    Path png = tmp.resolve("digits.png");
    CliRun run =
        CliRun.of("show", "--dataset", "digits", "--inverse", "0", "--out", png.toString());
    assertEquals(0, run.exitCode(), run.err());
    BufferedImage image = ImageIO.read(png.toFile());
    ImageGrid layout = new ImageGrid(new Dataset(new float[128], new int[2], 64), 8, 8);
    layout.add(0, "#0", "label 0");
    layout.add(1, "1 - x", "label 0");
    Rectangle digit = layout.imageBounds(0);
    Rectangle inverse = layout.imageBounds(1);
    Dataset all = DigitsLoader.load(Path.of("data", "digits", "digits.csv.gz"));
    for (int p = 0; p < 64; p++) {
      int dx = (p % 8) * ImageGrid.SCALE + 1;
      int dy = (p / 8) * ImageGrid.SCALE + 1;
      int ink = 255 - (image.getRGB(digit.x + dx, digit.y + dy) & 0xff);
      int inverseInk = 255 - (image.getRGB(inverse.x + dx, inverse.y + dy) & 0xff);
      assertEquals(Math.round(all.images()[p] * 255), ink, 1, "pixel " + p + " of image 0");
      assertEquals(255, ink + inverseInk, 1, "pixel " + p + ": 1 - x");
    }
  }

  /** Test image {@code i} as a 28x28 photo: dark ink (0) on white paper (255). */
  private Path photo(Dataset test, int i) throws Exception {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    float[] pixels = new float[784];
    test.copyImage(i, pixels, 0);
    for (int p = 0; p < 784; p++) {
      image.getRaster().setSample(p % 28, p / 28, 0, Math.round(255 * (1 - pixels[p])));
    }
    Path file = tmp.resolve("photo-" + i + "-label-" + test.labels()[i] + ".png");
    ImageIO.write(image, "png", file.toFile());
    return file;
  }
}
