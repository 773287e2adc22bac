package org.tfmnist.cluster;

/**
 * mnist_replica.py's flags, as given (null when absent): {@code --ps_hosts h:p,h:p}, {@code
 * --worker_hosts h:p,h:p}, {@code --job_name ps|worker}, {@code --task_index N}.
 */
public record ReplicaFlags(String psHosts, String workerHosts, String jobName, Integer taskIndex) {
  /** No flag given. */
  public static final ReplicaFlags NONE = new ReplicaFlags(null, null, null, null);

  /** Whether any of the four flags was given. */
  public boolean any() {
    return psHosts != null || workerHosts != null || jobName != null || taskIndex != null;
  }
}
