package org.tfmnist.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.cluster.ChildJvm;
import org.tfmnist.cluster.ClusterConfigException;
import org.tfmnist.cluster.LocalCluster;
import org.tfmnist.cluster.LocalClusterPlan;
import org.tfmnist.cluster.LoopbackPorts;
import org.tfmnist.cluster.ServerExposure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a training command as a cluster of child JVMs on this machine (loopback ports). */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Runs a training command as a TensorFlow cluster on this machine: every task a child JVM with"
          + " the same command line and its own TF_CONFIG, on free 127.0.0.1 ports, its output"
          + " prefixed [ps:0], [worker:1], [chief:0]. Worker 0 is the chief unless --chief.",
      "  tfmnist cluster --ps 1 --workers 2 -- experts --steps 200 --run-dir runs/c1",
      "Stops every task when one exits non-zero, and on Ctrl-C. Exit 0 when every task exited 0."
    })
final class ClusterCommand implements Callable<Integer> {
  /** What mnist_replica's flags would set: the launcher gives each task its TF_CONFIG instead. */
  static final List<String> CLUSTER_FLAGS =
      List.of("--ps_hosts", "--worker_hosts", "--job_name", "--task_index");

  private static final int MAX_TASKS = 64;

  @Spec CommandSpec spec;

  @Option(names = "--ps", paramLabel = "N", defaultValue = "1", description = "Parameter servers.")
  int ps;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "2",
      description = "Workers; worker 0 is the chief unless --chief.")
  int workers;

  @Option(names = "--chief", description = "A separate chief task besides the workers.")
  boolean chief;

  @Option(
      names = "--grace-period",
      paramLabel = "S",
      defaultValue = "10",
      description = "Seconds between SIGTERM and SIGKILL when stopping the tasks.")
  int graceSeconds;

  @Option(
      names = "--finish-timeout",
      paramLabel = "S",
      defaultValue = "60",
      description = "Seconds the other tasks (ps included) may run on after the chief exited 0.")
  int finishSeconds;

  @Option(
      names = "--allow-external",
      description =
          "Start even where the machine has addresses beyond loopback: TensorFlow's servers listen"
              + " on every interface with no authentication (use behind a firewall).")
  boolean allowExternal;

  @Parameters(
      paramLabel = "-- COMMAND",
      arity = "0..*",
      showDefaultValue = CommandLine.Help.Visibility.NEVER,
      description = "After --: the training command and its options (beginners, experts, train).")
  List<String> command = new ArrayList<>();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    validate();
    int tasks = ps + workers + (chief ? 1 : 0);
    int[] ports = LoopbackPorts.pick(tasks);
    if (!allowExternal) {
      Optional<String> refusal =
          ServerExposure.refusal(
              ServerExposure.externalAddresses(), java.util.Arrays.stream(ports).boxed().toList());
      if (refusal.isPresent()) {
        throw new ClusterConfigException(refusal.get());
      }
    }
    Console.out(spec).println("[cluster] " + ServerExposure.NOTICE);
    LocalClusterPlan plan = LocalClusterPlan.of(ps, workers, chief, ports);
    List<String> launch = new ArrayList<>(ChildJvm.command(Main.class.getName()));
    launch.addAll(command);
    LocalCluster.Timeouts timeouts =
        new LocalCluster.Timeouts(
            Duration.ofSeconds(graceSeconds), Duration.ofSeconds(finishSeconds));
    return new LocalCluster(plan, launch, timeouts, Console.out(spec), Console.err(spec)).run();
  }

  private void validate() {
    CommandLine cli = spec.commandLine();
    List<String> original = cli.getParseResult().originalArgs();
    int delimiter = original.indexOf("--");
    if (delimiter < 0 || original.size() - delimiter - 1 != command.size()) {
      throw new ParameterException(
          cli, "put the training command after --: cluster --ps 1 --workers 2 -- experts ...");
    }
    range("--ps", ps, 1, MAX_TASKS);
    range("--workers", workers, 1, MAX_TASKS);
    range("--grace-period", graceSeconds, 0, 3600);
    range("--finish-timeout", finishSeconds, 0, 24 * 3600);
    List<String> training = trainingCommands();
    if (command.isEmpty() || !training.contains(command.get(0))) {
      throw new ParameterException(
          cli,
          (command.isEmpty() ? "no command" : "'" + command.get(0) + "' is not a training command")
              + " after --: use "
              + String.join(", ", training));
    }
    for (String arg : command) {
      String flag = arg.split("=", 2)[0].toLowerCase(Locale.ROOT);
      if (CLUSTER_FLAGS.contains(flag)) {
        throw new ParameterException(
            cli, flag + " after --: cluster gives each task its TF_CONFIG; drop " + flag);
      }
    }
  }

  private void range(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(), flag + ": " + min + " to " + max + ", got " + value);
    }
  }

  /** The subcommands that run as a cluster task: the MNIST training commands. */
  private List<String> trainingCommands() {
    return spec.root().subcommands().entrySet().stream()
        .filter(e -> e.getValue().getCommand() instanceof MnistTrainingCommand)
        .map(java.util.Map.Entry::getKey)
        .toList();
  }
}
