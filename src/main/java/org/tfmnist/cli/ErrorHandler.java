package org.tfmnist.cli;

import org.tfmnist.TfmnistException;
import org.tfmnist.cluster.ClusterConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a user-fixable {@link TfmnistException} into one line on stderr and exit code 1 (2 for a
 * cluster description that cannot be used, {@link ClusterConfigException}); any other exception is
 * a bug and keeps its stack trace. {@code --debug} shows every stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int USER_ERROR = 1;

  /**
   * A cluster description that cannot be used: rejected before anything starts, like a bad flag.
   */
  static final int BAD_CLUSTER = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean debug =
        parsed.hasMatchedOption("--debug")
            || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
    if (e instanceof TfmnistException && !debug) {
      cli.getErr().println("error: " + e.getMessage());
      return e instanceof ClusterConfigException ? BAD_CLUSTER : USER_ERROR;
    }
    e.printStackTrace(cli.getErr());
    return e instanceof TfmnistException
        ? USER_ERROR
        : cli.getCommandSpec().exitCodeOnExecutionException();
  }
}
