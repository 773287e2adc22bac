package org.tfmnist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar target/tfmnist.jar <command> [options]}: one subcommand per user task. */
@Command(
    name = "tfmnist",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The TensorFlow MNIST tutorials in Java (TensorFlow Java, graph mode).",
    subcommands = {
      BeginnersCommand.class,
      ExpertsCommand.class,
      TrainCommand.class,
      ClusterCommand.class,
      DigitsCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      GraphsCommand.class,
      BenchmarkCommand.class,
      PlotCommand.class,
      ShowCommand.class,
      SummaryCommand.class,
      ReproduceCommand.class,
      WarmUpCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (0 success, 1 a user-fixable error, 2 a bad option). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command tree with its error handling, as {@link #run} executes it, writing to {@code
   * System.out} and {@code System.err} unless {@code setOut}/{@code setErr} say otherwise.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setOut(Console.tied(System.out));
    cli.setErr(Console.tied(System.err));
    return cli;
  }
}
