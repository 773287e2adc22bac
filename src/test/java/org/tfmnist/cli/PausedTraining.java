package org.tfmnist.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.tfmnist.train.TrainingListener;
import picocli.CommandLine;

/**
 * A training command in a child JVM that pauses after a global step the test chooses: the CLI with
 * one more training listener ({@link TrainingCommand#listeners}), which after that step prints
 * {@code paused at step N} and blocks for good. The resume tests kill it there with SIGKILL, at a
 * known point of a known epoch, instead of killing it whenever a sleep after a checkpoint ends.
 */
public final class PausedTraining implements AutoCloseable {
  static final String PAUSED = "paused at step ";

  /** Training runs for minutes on a loaded machine: only a hang takes longer. */
  private static final long PAUSE_TIMEOUT_MINUTES = 15;

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Void> paused = new CompletableFuture<>();

  private PausedTraining(Process process, long step) {
    this.process = process;
    Thread reader = new Thread(() -> read(step), "paused-training-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The child JVM: {@code PausedTraining STEP COMMAND [OPTIONS...]}. */
  public static void main(String[] args) {
    long at = Long.parseLong(args[0]);
    TrainingListener pause =
        new TrainingListener() {
          @Override
          public void onBatchEnd(long step, double loss, double accuracy) {
            if (step == at) {
              System.out.println(PAUSED + step);
              System.out.flush();
              blockForGood();
            }
          }
        };
    CommandLine cli = Main.commandLine();
    for (CommandLine command : cli.getSubcommands().values()) {
      if (command.getCommand() instanceof TrainingCommand training) {
        training.listeners = List.of(pause);
      }
    }
    System.exit(cli.execute(Arrays.copyOfRange(args, 1, args.length)));
  }

  @SuppressWarnings("InfiniteLoopStatement")
  private static void blockForGood() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // only SIGKILL ends this process
      }
    }
  }

  /** Starts {@code args}, a training command, in a child JVM that pauses after {@code step}. */
  static PausedTraining start(long step, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PausedTraining.class.getName());
    command.add(Long.toString(step));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new PausedTraining(builder.start(), step);
  }

  /** Returns once the child has paused; fails if it ended first. */
  void awaitPause() throws Exception {
    try {
      paused.get(PAUSE_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw (AssertionError) e.getCause();
    }
  }

  /** Whether the child is still running (paused: it never goes on by itself). */
  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a machine losing power or the OOM killer would end it; waits for the end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** What the child printed so far (stdout and stderr). */
  String output() {
    return output.toString();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private void read(long step) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        if (line.equals(PAUSED + step)) {
          paused.complete(null);
        }
      }
    } catch (IOException e) {
      output.append("(reading the output failed: ").append(e).append(")\n");
    }
    paused.completeExceptionally(
        new AssertionError("the training ended before step " + step + ":\n" + output));
  }
}
