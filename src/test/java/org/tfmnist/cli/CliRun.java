package org.tfmnist.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Test helper: runs the CLI in-process and captures its exit code, stdout and stderr through
 * picocli's {@code setOut}/{@code setErr}, so the global {@code System} streams stay as they are
 * and the captured text is echoed to them afterwards.
 */
public record CliRun(int exitCode, String out, String err) {
  /**
   * {@code serve} still prints to {@code System.out} itself (its package is being reworked
   * separately): for it alone, the global streams are swapped as before.
   */
  private static final String GLOBAL_STREAMS_COMMAND = "serve";

  public static CliRun of(String... args) {
    if (args.length > 0 && args[0].equals(GLOBAL_STREAMS_COMMAND)) {
      return withGlobalStreams(args);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    System.out.print(out);
    System.err.print(err);
    return new CliRun(code, out.toString(), err.toString());
  }

  private static synchronized CliRun withGlobalStreams(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      code = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    oldOut.print(o);
    oldErr.print(e);
    return new CliRun(code, o, e);
  }

  /** The figure of the last {@code test accuracy 0.xxxx} line. */
  public double testAccuracy() {
    var m = java.util.regex.Pattern.compile("(?m)^test accuracy (\\d\\.\\d+)$").matcher(out);
    double last = Double.NaN;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    if (Double.isNaN(last)) {
      throw new AssertionError("no 'test accuracy' line in:\n" + out + err);
    }
    return last;
  }
}
