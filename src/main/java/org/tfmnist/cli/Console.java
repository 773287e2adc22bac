package org.tfmnist.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's standard output and error as the {@link PrintStream}s the code below the CLI writes
 * to (training, data download, cluster launch), taken from picocli's {@code getOut()} and {@code
 * getErr()}. {@link Main#commandLine()} sets them to {@link #tied} writers on {@code System.out}
 * and {@code System.err}, whose streams come back as they are (so a progress bar still knows it
 * writes to the terminal); a test's writers come back wrapped, so nothing swaps the global streams.
 */
final class Console {
  private Console() {}

  /** A picocli writer on {@code stream}, from which {@link #out} and {@link #err} return it. */
  static PrintWriter tied(PrintStream stream) {
    return new Tied(stream);
  }

  /** The command's standard output. */
  static PrintStream out(CommandSpec spec) {
    return stream(spec.commandLine().getOut());
  }

  /** The command's standard error. */
  static PrintStream err(CommandSpec spec) {
    return stream(spec.commandLine().getErr());
  }

  private static PrintStream stream(PrintWriter writer) {
    if (writer instanceof Tied tied) {
      return tied.stream;
    }
    return new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
  }

  /** A writer that remembers the stream it writes to. */
  private static final class Tied extends PrintWriter {
    private final PrintStream stream;

    Tied(PrintStream stream) {
      super(stream, true);
      this.stream = stream;
    }
  }
}
