package org.tfmnist.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * Start-up as a user sees it, each timed from launching a new JVM with the CLI: to the first
 * training step of {@code experts}, to {@code serve} answering its first prediction, and one {@code
 * predict} of one image to its exit.
 */
public final class StartupTimes {
  private static final long TIMEOUT_SECONDS = 300;

  /** Seconds from launch to each milestone. */
  public record Figures(
      double firstTrainingStep, double serveFirstResponse, double predictOneImage) {
    /** Each milestone's median over {@code rounds}. */
    public static Figures median(List<Figures> rounds) {
      return new Figures(
          Percentiles.median(rounds.stream().mapToDouble(Figures::firstTrainingStep).toArray()),
          Percentiles.median(rounds.stream().mapToDouble(Figures::serveFirstResponse).toArray()),
          Percentiles.median(rounds.stream().mapToDouble(Figures::predictOneImage).toArray()));
    }
  }

  private final List<String> cli;
  private final Path workDir;

  /**
   * {@code cli} launches the CLI ({@link CliLauncher#command}); runs and logs go into {@code
   * workDir}.
   */
  public StartupTimes(List<String> cli, Path workDir) {
    this.cli = List.copyOf(cli);
    this.workDir = workDir;
  }

  public Figures measure(Path dataDir, Path savedModel, Path image) throws TfmnistException {
    return new Figures(
        firstTrainingStep(dataDir), serveFirstResponse(savedModel), predict(savedModel, image));
  }

  /** Until {@code experts} prints its "step 0" line, just before the first training step runs. */
  double firstTrainingStep(Path dataDir) throws TfmnistException {
    Path runDir;
    try {
      runDir =
          Files.createTempDirectory(
              workDir, "first-step-run-"); // a new, empty one for every launch
    } catch (IOException e) {
      throw new TfmnistException(workDir + ": cannot create a run directory: " + e.getMessage(), e);
    }
    long start = System.nanoTime();
    Process process =
        start(
            List.of(
                "experts",
                "--steps",
                "1",
                "--data-dir",
                dataDir.toString(),
                "--run-dir",
                runDir.toString()),
            null);
    List<String> seen = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("step 0, training accuracy")) {
          return (System.nanoTime() - start) / 1e9;
        }
        seen.add(line);
      }
      throw new TfmnistException(
          "experts in a child JVM never reached its first step: " + tail(seen));
    } catch (IOException e) {
      throw new TfmnistException("cannot read the child JVM's output: " + e.getMessage(), e);
    } finally {
      stop(process);
    }
  }

  /** Until {@code serve} answers a one-image predict request with 200. */
  double serveFirstResponse(Path savedModel) throws TfmnistException {
    int port = freePort();
    String body = "{\"instances\": [" + Collections.nCopies(784, "0").toString() + "]}";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(60))
            .build();
    long start = System.nanoTime();
    Process process =
        start(
            List.of(
                "serve",
                "--model",
                savedModel.toString(),
                "--rest_api_port",
                Integer.toString(port),
                "--port",
                "0"),
            workDir.resolve("serve.log"));
    try {
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS)) {
        if (!process.isAlive()) {
          throw new TfmnistException(
              "serve exited with "
                  + process.exitValue()
                  + " before answering; see "
                  + workDir.resolve("serve.log"));
        }
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return (System.nanoTime() - start) / 1e9;
          }
          throw new TfmnistException(
              "serve answered " + response.statusCode() + ": " + response.body());
        } catch (IOException notYet) {
          Thread.sleep(10);
        }
      }
      throw new TfmnistException("serve did not answer within " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while waiting for serve", e);
    } finally {
      stop(process);
    }
  }

  /** One {@code predict --model M IMAGE}, launch to exit. */
  double predict(Path savedModel, Path image) throws TfmnistException {
    long start = System.nanoTime();
    Process process =
        start(
            List.of("predict", "--model", savedModel.toString(), image.toString()),
            workDir.resolve("predict.log"));
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TfmnistException("predict did not finish within " + TIMEOUT_SECONDS + " s");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (process.exitValue() != 0) {
        throw new TfmnistException(
            "predict exited with "
                + process.exitValue()
                + "; see "
                + workDir.resolve("predict.log"));
      }
      return seconds;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while waiting for predict", e);
    } finally {
      stop(process);
    }
  }

  private Process start(List<String> args, Path log) throws TfmnistException {
    List<String> command = new ArrayList<>(cli);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    if (log != null) {
      builder.redirectOutput(log.toFile());
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new TfmnistException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static void stop(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws TfmnistException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new TfmnistException("no free port for serve: " + e.getMessage(), e);
    }
  }

  private static String tail(List<String> lines) {
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }
}
