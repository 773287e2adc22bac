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

  @Option(
      names = "--sync-replicas",
      description =
          "In a cluster: synchronous updates (gradients of --replicas-to-aggregate replicas averaged"
              + " per step, stale ones dropped); default asynchronous.")
  boolean syncReplicas;

  @Option(
      names = "--replicas-to-aggregate",
      paramLabel = "N",
      description = "With --sync-replicas: gradients averaged per step (default: all replicas).")
  Integer replicasToAggregate;

  /**
   * Gradients aggregated per step for {@code cluster}: 0 for asynchronous updates; checked against
   * the cluster.
   */
  int aggregate(Optional<ClusterConfig> cluster) throws ClusterConfigException {
    if (!syncReplicas) {
      if (replicasToAggregate != null) {
        throw new ClusterConfigException("--replicas-to-aggregate: only with --sync-replicas");
      }
      return 0;
    }
    if (cluster.isEmpty()) {
      throw new ClusterConfigException(
          "--sync-replicas: only in a cluster (set TF_CONFIG or --ps_hosts/--worker_hosts)");
    }
    int replicas = cluster.get().replicaCount();
    int n = replicasToAggregate != null ? replicasToAggregate : replicas;
    if (n < 1 || n > replicas) {
      throw new ClusterConfigException(
          "--replicas-to-aggregate "
              + n
              + ": between 1 and the cluster's "
              + replicas
              + " replicas");
    }
    return n;
  }

  /** The cluster this process is a task of, from TF_CONFIG or the flags; empty: one process. */
  Optional<ClusterConfig> resolve() throws ClusterConfigException {
    return ClusterConfig.resolve(
        System.getenv(ClusterConfig.TF_CONFIG),
        new ReplicaFlags(psHosts, workerHosts, jobName, taskIndex));
  }
}
