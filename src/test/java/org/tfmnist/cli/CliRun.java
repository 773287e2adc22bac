package org.tfmnist.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Test helper: runs the CLI in-process and captures its exit code, stdout and stderr through
 * picocli's {@code setOut}/{@code setErr}, so the global {@code System} streams stay as they are
 * and the captured text is echoed to them afterwards.
 */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
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
