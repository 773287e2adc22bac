package org.tfmnist.cli.reproduce;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.tfmnist.TfmnistException;

/**
 * Where and how a write-up's protocol runs: the output directory (one run directory per step), the
 * MNIST-format data it was given, the caps on epochs and steps, and the ordinary commands, run
 * in-process. Every departure from the protocol as written is said in one {@link #note} line.
 */
public final class Reproduction {
  private final Path out;
  private final MnistData data;
  private final Integer maxEpochs;
  private final Long maxSteps;
  private final ToIntFunction<String[]> commands;
  private final PrintStream log;
  private final Inputs inputs;
  private final List<String> notes = new ArrayList<>();

  /**
   * Inputs only some write-ups take: a SavedModel and pictures (the own-photos write-up), and the
   * zoo's models to run (empty: all).
   */
  public record Inputs(Path model, List<Path> images, List<String> models) {
    /** Whether model {@code name} is to run. */
    public boolean selected(String name) {
      return models.isEmpty() || models.contains(name);
    }
  }

  /**
   * @param commands runs a command line of the CLI and returns its exit code
   * @param maxEpochs caps every run's epochs (null: as written)
   * @param maxSteps caps every run's steps (null: as written)
   */
  public Reproduction(
      Path out,
      MnistData data,
      Integer maxEpochs,
      Long maxSteps,
      Inputs inputs,
      ToIntFunction<String[]> commands,
      PrintStream log) {
    this.out = out;
    this.data = data;
    this.maxEpochs = maxEpochs;
    this.maxSteps = maxSteps;
    this.inputs = inputs;
    this.commands = commands;
    this.log = log;
  }

  /** Runs {@code writeup}'s protocol and returns its figures beside ours. */
  public List<Figure> run(Writeup writeup) throws TfmnistException {
    return writeup.protocol().run(this);
  }

  public MnistData data() {
    return data;
  }

  public Inputs inputs() {
    return inputs;
  }

  /** The departures said so far. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Says one departure from the protocol as written, on the log and in {@link #notes}. */
  public void note(String line) {
    notes.add(line);
    log.println("reproduce: " + line);
  }

  /** {@code written} epochs, or the cap if lower (said once per run). */
  int epochs(int written, String run) {
    if (maxEpochs != null && maxEpochs < written) {
      note(run + ": the write-up trains " + written + " epochs; --max-epochs runs " + maxEpochs);
      return maxEpochs;
    }
    return written;
  }

  /** {@code written} steps, or the cap if lower (said once per run). */
  long steps(long written, String run) {
    if (maxSteps != null && maxSteps < written) {
      note(run + ": the write-up trains " + written + " steps; --max-steps runs " + maxSteps);
      return maxSteps;
    }
    return written;
  }

  /** The run directory of step {@code name}. */
  Path runDir(String name) {
    return out.resolve(name);
  }

  /**
   * Runs one ordinary command ({@code args}, e.g. "digits", "--epochs", "100") with {@code
   * --run-dir OUT/name} appended, printing the command line first; returns the run directory.
   */
  Path train(String name, String... args) throws TfmnistException {
    Path dir = runDir(name);
    String[] line = Arrays.copyOf(args, args.length + 2);
    line[args.length] = "--run-dir";
    line[args.length + 1] = dir.toString();
    command(line);
    return dir;
  }

  /** Runs one ordinary command as given, printing it first; a failure ends the reproduction. */
  void command(String... line) throws TfmnistException {
    String shown = "tfmnist " + String.join(" ", line);
    log.println();
    log.println("$ " + shown);
    int code = commands.applyAsInt(line);
    if (code != 0) {
      throw new TfmnistException(
          String.format(Locale.ROOT, "reproduce: '%s' failed (exit code %d)", shown, code));
    }
  }
}
