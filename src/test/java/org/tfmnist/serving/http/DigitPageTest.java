package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.inference.PredictPhotosTest;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;

/**
 * The draw-a-digit page in a real headless browser (Debian's chromium and chromium-driver): draws
 * ten real test digits onto the canvas with pointer events, stroke by stroke, and reads the digit
 * the page shows, answered by a CNN trained here.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("data")
@Tag("browser")
class DigitPageTest {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** The CNN PredictPhotosTest trains too: the JVM trains it once for both. */
  static final long STEPS = PredictPhotosTest.STEPS;

  static final int CELL = 10; // canvas pixels per MNIST pixel (280 / 28)

  @TempDir Path tmp;

  @Test
  void drawnTestDigitsAreRecognised() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "the page test needs Debian's chromium and chromium-driver"
            + " (apt-get install -y chromium chromium-driver; .ci/run does)");
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    long start = System.nanoTime();
    TrainedModels.Trained cnn = TrainedModels.experts(STEPS, tmp.resolve("saved_model"));
    System.out.printf(
        "CNN trained for the page: %d steps, test accuracy %.4f, %.1f s%n",
        STEPS, cnn.test().accuracy(), (System.nanoTime() - start) / 1e9);
    Logger.getLogger("org.openqa.selenium")
        .setLevel(Level.SEVERE); // no CDP version warnings: CDP is not used
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=820,720");
    try (ModelManager models =
            ModelManager.forDirectory(
                "mnist", cnn.savedModel(), BatchingOptions.OFF, n -> {}, quiet);
        RestServer server =
            new RestServer(models, ServerOptions.defaults(), new ServingMetrics(), quiet)) {
      int port = server.start("127.0.0.1", 0);
      start = System.nanoTime();
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.get("http://127.0.0.1:" + port + "/");
        WebElement canvas = driver.findElement(By.id("pad"));
        int correct = 0;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          driver.findElement(By.id("clear")).click();
          draw(driver, canvas, test.images(), i);
          waitForAnswer(driver);
          String digit = driver.findElement(By.id("digit")).getText();
          seen.add(test.labels()[i] + "->" + digit);
          if (digit.equals(Integer.toString(test.labels()[i]))) {
            correct++;
          }
          if (i == 0) {
            assertEquals("model mnist, version 1", driver.findElement(By.id("model")).getText());
          }
        }
        System.out.printf("browser part: %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println(
            "page read " + correct + " of 10 drawn test digits (label->page): " + seen);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "serve-page.png"), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(correct >= 8, "only " + correct + " of 10 drawn digits recognised: " + seen);
      } finally {
        driver.quit();
      }
    }
  }

  /**
   * One stroke per run of ink along every other pixel row of the test image, drawn with the mouse.
   */
  private static void draw(ChromeDriver driver, WebElement canvas, float[] images, int index) {
    Actions strokes =
        new Actions(driver, Duration.ZERO); // pointer moves without the default 250 ms glide
    int half = canvas.getSize().getWidth() / 2;
    for (int r = 0; r < 28; r += 2) { // every other row: the 22-pixel pen covers two
      int c = 0;
      while (c < 28) {
        if (ink(images, index, r, c) < 0.5f) {
          c++;
          continue;
        }
        int start = c;
        while (c < 28 && ink(images, index, r, c) >= 0.5f) {
          c++;
        }
        int y = (r + 1) * CELL - half; // between the two rows
        strokes
            .moveToElement(canvas, start * CELL + CELL / 2 - half, y)
            .clickAndHold()
            .moveToElement(canvas, (c - 1) * CELL + CELL / 2 - half, y)
            .release();
      }
    }
    strokes.perform();
  }

  /** The ink of row {@code r} and the next one (the pen of one stroke covers both). */
  private static float ink(float[] images, int index, int r, int c) {
    return Math.max(
        images[index * 784 + r * 28 + c], r + 1 < 28 ? images[index * 784 + (r + 1) * 28 + c] : 0);
  }

  private static void waitForAnswer(ChromeDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(
            d ->
                (Boolean)
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return window.digitPage.strokes > 0 && window.digitPage.answered === window.digitPage.strokes"));
  }
}
