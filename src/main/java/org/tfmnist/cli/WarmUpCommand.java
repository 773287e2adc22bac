package org.tfmnist.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.IdxWriter;
import org.tfmnist.data.MnistFiles;
import org.tfmnist.report.PngFile;
import org.tfmnist.serving.server.ModelServer;
import org.tfmnist.serving.server.ModelSource;
import org.tfmnist.serving.server.ServingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the main commands' code once in this JVM on a tiny synthetic data set, so that the build can
 * record the classes they load in a class-data-sharing archive ({@code target/tfmnist.jsa}, written
 * by {@code -XX:ArchiveClassesAtExit} while this runs): {@code experts} for a few steps with its
 * listeners and export, {@code evaluate}, {@code predict} of a PNG, and the REST server answering
 * one request. Hidden: it is the build's, not a user's.
 */
@Command(
    name = "warm-up",
    hidden = true,
    mixinStandardHelpOptions = true,
    description =
        "Exercises experts, evaluate, predict and serve once on synthetic data (for the build's CDS archive).")
final class WarmUpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private static final int SIDE = 28;

  /**
   * Exit code when a warm-up step failed: the build goes on (the archive holds what loaded) and
   * accepts only 0 and this, so a JVM that cannot start or a crash (1) still fails it.
   */
  static final int STEP_FAILED = 3;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() {
    try {
      return warmUp();
    } catch (TfmnistException e) {
      Console.err(spec)
          .println(
              "warning: warm-up incomplete, the CDS archive will miss some classes: "
                  + e.getMessage());
      return STEP_FAILED;
    }
  }

  private int warmUp() throws TfmnistException {
    long start = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("tfmnist-warm-up");
    } catch (IOException e) {
      throw new TfmnistException("cannot create a temporary directory: " + e.getMessage(), e);
    }
    PrintStream out = Console.out(spec);
    try {
      Path data = writeData(dir.resolve("data"));
      Path run = dir.resolve("run");
      Path model = run.resolve(MnistTrainingCommand.SAVED_MODEL);
      Path image = dir.resolve("digit.png");
      PngFile.write(aOne(), image);
      command(
          "experts",
          "--steps",
          "4",
          "--batch",
          "50",
          "--data-dir",
          data.toString(),
          "--run-dir",
          run.toString());
      command("evaluate", "--model", model.toString(), "--data-dir", data.toString());
      command("predict", "--model", model.toString(), image.toString());
      serveOneRequest(model);
    } finally {
      DurableFiles.deleteTreeQuietly(dir);
    }
    out.printf(
        Locale.ROOT,
        "warm-up: experts, evaluate, predict and serve ran in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** A dark vertical stroke on white: a "1" as a photo of one would be. */
  private static BufferedImage aOne() {
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
    var g = image.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, SIDE, SIDE);
    g.setColor(java.awt.Color.BLACK);
    g.fillRect(SIDE / 2 - 2, 4, 4, SIDE - 8);
    g.dispose();
    return image;
  }

  /** Runs a command with its output silenced and its errors on this command's stderr. */
  private void command(String... args) throws TfmnistException {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(Writer.nullWriter()));
    cli.setErr(spec.commandLine().getErr());
    int code = cli.execute(args);
    if (code != 0) {
      throw new TfmnistException("warm-up: '" + String.join(" ", args) + "' exited with " + code);
    }
  }

  /**
   * 200 training and 100 test images of noise, labels cycling 0..9: enough to run, not to learn.
   */
  private static Path writeData(Path dir) throws TfmnistException {
    SplittableRandom random = new SplittableRandom(42);
    try {
      Files.createDirectories(dir);
      for (String[] split :
          new String[][] {
            {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, "200"},
            {MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS, "100"}
          }) {
        int count = Integer.parseInt(split[2]);
        byte[] pixels = new byte[count * SIDE * SIDE];
        byte[] labels = new byte[count];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < count; i++) {
          labels[i] = (byte) (i % 10);
        }
        IdxWriter.writeImages(dir.resolve(split[0]), SIDE, SIDE, pixels);
        IdxWriter.writeLabels(dir.resolve(split[1]), labels);
      }
    } catch (IOException e) {
      throw new TfmnistException(dir + ": cannot write the synthetic data: " + e.getMessage(), e);
    }
    return dir;
  }

  /**
   * The server ({@link ModelServer}, REST and gRPC) on free local ports, one REST {@code :predict}
   * of a blank image, then stopped.
   */
  private static void serveOneRequest(Path model) throws TfmnistException {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (ModelServer server =
        ModelServer.start(
            ServingOptions.local(ModelSource.directory("mnist", model)), quiet, quiet)) {
      int port = server.restPort();
      String body = "{\"instances\": [" + Collections.nCopies(SIDE * SIDE, "0").toString() + "]}";
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict"))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .timeout(Duration.ofSeconds(30))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new TfmnistException(
            "warm-up: serve answered " + response.statusCode() + ": " + response.body());
      }
      server.stop();
    } catch (TfmnistException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("warm-up: interrupted while serving", e);
    } catch (Exception e) {
      throw new TfmnistException("warm-up: serve failed: " + e.getMessage(), e);
    }
  }
}
