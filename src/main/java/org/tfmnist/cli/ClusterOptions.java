package org.tfmnist.cli;

import java.util.Optional;
import org.tfmnist.cluster.ClusterConfig;
import org.tfmnist.cluster.ClusterConfigException;
import org.tfmnist.cluster.ReplicaFlags;
import picocli.CommandLine.Option;

/**
 * mnist_replica's cluster flags, the alternative to the {@code TF_CONFIG} environment variable
 * (Kubeflow's TFJob sets the latter). With neither, a training command runs in one process.
 */
final class ClusterOptions {
  @Option(
      names = "--ps_hosts",
      paramLabel = "H:P,..",
      description = "Parameter servers of a cluster (mnist_replica's flag; or set TF_CONFIG).")
  String psHosts;

  @Option(
      names = "--worker_hosts",
      paramLabel = "H:P,..",
      description = "Workers of a cluster; worker 0 is the chief (mnist_replica's flag).")
  String workerHosts;

  @Option(
      names = "--job_name",
      paramLabel = "JOB",
      description = "This task's job in the cluster: ps or worker (mnist_replica's flag).")
  String jobName;

  @Option(
      names = "--task_index",
      paramLabel = "N",
      description = "This task's index in its job (mnist_replica's flag).")
  Integer taskIndex;

  /** The cluster this process is a task of, from TF_CONFIG or the flags; empty: one process. */
  Optional<ClusterConfig> resolve() throws ClusterConfigException {
    return ClusterConfig.resolve(
        System.getenv(ClusterConfig.TF_CONFIG),
        new ReplicaFlags(psHosts, workerHosts, jobName, taskIndex));
  }
}
