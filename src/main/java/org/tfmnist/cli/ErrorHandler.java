package org.tfmnist.cli;

import org.tfmnist.TfmnistException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a user-fixable {@link TfmnistException} into one line on stderr and exit code 1; any other
 * exception is a bug and keeps its stack trace. {@code --debug} shows every stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int USER_ERROR = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean debug =
        parsed.hasMatchedOption("--debug")
            || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
    if (e instanceof TfmnistException && !debug) {
      cli.getErr().println("error: " + e.getMessage());
      return USER_ERROR;
    }
    e.printStackTrace(cli.getErr());
    return e instanceof TfmnistException
        ? USER_ERROR
        : cli.getCommandSpec().exitCodeOnExecutionException();
  }
}
