package org.tfmnist.cli.reproduce;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;

/**
 * Where and how a write-up's protocol runs: the output directory (one run directory per step), the
 * MNIST-format data it was given, the caps on epochs and steps, and the ordinary commands, run
 * in-process. Every departure from the protocol as written is said in one {@link #note} line.
 *
 * <p>A reproduction made with {@link #planning} runs nothing: it records each command line the
 * protocol would run ({@link #planned}) and the protocol returns no figures, so the settings a
 * protocol passes down can be read without training.
 */
public final class Reproduction {
  /** Runs one command line of the CLI, writing its standard output to {@code out}. */
  @FunctionalInterface
  public interface Commands {
    /** Returns the exit code. */
    int run(String[] line, PrintStream out);
  }

  private final Path out;
  private final MnistData data;
  private final Integer maxEpochs;
  private final Long maxSteps;
  private final Commands commands;
  private final PrintStream log;
  private final Inputs inputs;
  private final List<String> notes = new ArrayList<>();
  private final List<List<String>> planned = new ArrayList<>();
  private final StringBuilder appendix = new StringBuilder();

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
   * @param commands runs a command line of the CLI and returns its exit code (null: plan only)
   * @param maxEpochs caps every run's epochs (null: as written)
   * @param maxSteps caps every run's steps (null: as written)
   */
  public Reproduction(
      Path out,
      MnistData data,
      Integer maxEpochs,
      Long maxSteps,
      Inputs inputs,
      Commands commands,
      PrintStream log) {
    this.out = out;
    this.data = data;
    this.maxEpochs = maxEpochs;
    this.maxSteps = maxSteps;
    this.inputs = inputs;
    this.commands = commands;
    this.log = log;
  }

  /** A reproduction that records the command lines it would run and runs none of them. */
  public static Reproduction planning(Path out, MnistData data, Inputs inputs, PrintStream log) {
    return new Reproduction(out, data, null, null, inputs, null, log);
  }

  /** Whether this reproduction only plans: the protocol stops after issuing its commands. */
  boolean planOnly() {
    return commands == null;
  }

  /** The command lines issued so far, in order (every one, planned or run). */
  public List<List<String>> planned() {
    return List.copyOf(planned);
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

  /** Markdown that follows the figures table (e.g. the write-up's own results tables). */
  public String appendix() {
    return appendix.toString();
  }

  /** Adds {@code markdown} to the {@link #appendix}. */
  void appendix(String markdown) {
    appendix.append(markdown);
  }

  /** Prints one line of the reproduction's own output. */
  void print(String line) {
    log.println(line);
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
    return trainCapturing(name, args).dir();
  }

  /** A finished run: its directory and what its command printed. */
  record Trained(Path dir, String output) {}

  /** As {@link #train}, also returning what the command printed. */
  Trained trainCapturing(String name, String... args) throws TfmnistException {
    Path dir = runDir(name);
    String[] line = Arrays.copyOf(args, args.length + 2);
    line[args.length] = "--run-dir";
    line[args.length + 1] = dir.toString();
    return new Trained(dir, command(line));
  }

  /**
   * Runs one ordinary command as given, printing it first; a failure ends the reproduction. Returns
   * what the command printed (it is also printed on the log as it comes).
   */
  String command(String... line) throws TfmnistException {
    String shown = "tfmnist " + String.join(" ", line);
    log.println();
    log.println("$ " + shown);
    planned.add(List.of(line));
    if (planOnly()) {
      return "";
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream tee = new PrintStream(new Tee(log, captured), true, StandardCharsets.UTF_8)) {
      code = commands.run(line, tee);
    }
    if (code != 0) {
      throw new TfmnistException(
          String.format(Locale.ROOT, "reproduce: '%s' failed (exit code %d)", shown, code));
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Writes to the log and to a buffer; closing it leaves the log open. */
  private static final class Tee extends OutputStream {
    private final PrintStream log;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream log, ByteArrayOutputStream copy) {
      this.log = log;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      log.write(b);
      copy.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      log.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override
    public void flush() {
      log.flush();
    }
  }
}
