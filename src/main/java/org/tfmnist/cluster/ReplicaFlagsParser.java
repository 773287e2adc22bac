package org.tfmnist.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** mnist_replica's flags to a {@link ClusterConfig}: worker 0 is the chief. */
final class ReplicaFlagsParser {
  private ReplicaFlagsParser() {}

  static ClusterConfig parse(ReplicaFlags flags) throws ClusterConfigException {
    require(flags.psHosts(), "--ps_hosts");
    require(flags.workerHosts(), "--worker_hosts");
    require(flags.jobName(), "--job_name");
    if (flags.taskIndex() == null) {
      throw new ClusterConfigException("--task_index is missing (the cluster flags go together)");
    }
    TaskType type = TaskType.ofJob(flags.jobName().trim());
    if (type == null || type == TaskType.CHIEF) {
      throw new ClusterConfigException(
          "--job_name " + flags.jobName() + ": unknown job (ps or worker)");
    }
    Map<TaskType, List<String>> jobs = new EnumMap<>(TaskType.class);
    jobs.put(TaskType.PS, hosts(flags.psHosts(), "--ps_hosts"));
    jobs.put(TaskType.WORKER, hosts(flags.workerHosts(), "--worker_hosts"));
    String source = "--" + type.jobName() + "_hosts/--task_index";
    return ClusterConfig.of(jobs, type, flags.taskIndex(), source);
  }

  private static void require(String value, String flag) throws ClusterConfigException {
    if (value == null || value.isBlank()) {
      throw new ClusterConfigException(flag + " is missing (the cluster flags go together)");
    }
  }

  private static List<String> hosts(String list, String flag) throws ClusterConfigException {
    List<String> hosts = new ArrayList<>();
    for (String host : list.split(",", -1)) {
      if (host.isBlank()) {
        throw new ClusterConfigException(flag + " " + list + ": empty address");
      }
      HostPort.parse(host.trim(), flag);
      hosts.add(host.trim());
    }
    return hosts;
  }
}
