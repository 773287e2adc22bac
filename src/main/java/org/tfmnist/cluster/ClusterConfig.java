package org.tfmnist.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One task's view of a cluster, from {@code TF_CONFIG} or mnist_replica's flags: the address of
 * every task by job ({@code chief}, {@code worker}, {@code ps}) and which task this process is. The
 * chief is {@code chief:0} where the cluster has a chief job, {@code worker:0} otherwise. Built
 * only through {@link #of}, which validates everything once.
 *
 * @param jobs each job's task addresses ({@code host:port}), in task-index order
 * @param type this task's job
 * @param index this task's index in its job
 * @param source what the cluster came from, for messages: {@code TF_CONFIG} or the flags
 */
public record ClusterConfig(
    Map<TaskType, List<String>> jobs, TaskType type, int index, String source) {
  /** The environment variable TensorFlow and Kubeflow's TFJob set. */
  public static final String TF_CONFIG = "TF_CONFIG";

  /** The layouts this project runs, for the message that refuses another. */
  public static final String LAYOUTS =
      "supported layouts: ps + worker (worker 0 is the chief), ps + chief (or master) + worker,"
          + " each with an optional evaluator outside the cluster; all-reduce clusters without"
          + " ps are not supported";

  public ClusterConfig {
    Map<TaskType, List<String>> copy = new EnumMap<>(TaskType.class);
    jobs.forEach((job, addresses) -> copy.put(job, List.copyOf(addresses)));
    jobs = Map.copyOf(copy);
  }

  /**
   * The cluster {@code tfConfig} (the environment variable's value, null or blank when unset) or
   * {@code flags} describe, or empty when neither is given (a single-process run). Both may be
   * given only when they describe the same task of the same cluster.
   */
  public static Optional<ClusterConfig> resolve(String tfConfig, ReplicaFlags flags)
      throws ClusterConfigException {
    boolean env = tfConfig != null && !tfConfig.isBlank();
    if (!env && !flags.any()) {
      return Optional.empty();
    }
    ClusterConfig fromFlags = flags.any() ? ReplicaFlagsParser.parse(flags) : null;
    if (!env) {
      return Optional.of(fromFlags);
    }
    ClusterConfig fromEnv = TfConfigParser.parse(tfConfig);
    if (fromFlags != null) {
      fromEnv.requireSameAs(fromFlags);
    }
    return Optional.of(fromEnv);
  }

  /** Validates and returns the config; messages name {@code source}. */
  static ClusterConfig of(Map<TaskType, List<String>> jobs, TaskType type, int index, String source)
      throws ClusterConfigException {
    List<String> chiefs = jobs.getOrDefault(TaskType.CHIEF, List.of());
    List<String> workers = jobs.getOrDefault(TaskType.WORKER, List.of());
    if (jobs.getOrDefault(TaskType.PS, List.of()).isEmpty()) {
      throw new ClusterConfigException(source + ": the cluster has no ps task; " + LAYOUTS);
    }
    if (chiefs.size() > 1) {
      throw new ClusterConfigException(
          source + ": the cluster has " + chiefs.size() + " chief tasks; at most one");
    }
    if (chiefs.isEmpty() && workers.isEmpty()) {
      throw new ClusterConfigException(source + ": the cluster has no chief or worker task");
    }
    if (type == TaskType.EVALUATOR) {
      if (index != 0) {
        throw new ClusterConfigException(
            source + ": evaluator index " + index + ": one evaluator (index 0) is supported");
      }
      checkAddresses(jobs, source);
      return new ClusterConfig(jobs, type, index, source);
    }
    List<String> tasks = jobs.getOrDefault(type, List.of());
    if (index < 0 || index >= tasks.size()) {
      throw new ClusterConfigException(
          source
              + ": task index "
              + index
              + " out of range: the cluster has "
              + tasks.size()
              + " "
              + type.jobName()
              + " task"
              + (tasks.size() == 1 ? "" : "s"));
    }
    checkAddresses(jobs, source);
    return new ClusterConfig(jobs, type, index, source);
  }

  private static void checkAddresses(Map<TaskType, List<String>> jobs, String source)
      throws ClusterConfigException {
    Set<String> seen = new HashSet<>();
    for (List<String> addresses : jobs.values()) {
      for (String address : addresses) {
        HostPort.parse(address, source);
        if (!seen.add(address)) {
          throw new ClusterConfigException(source + ": address " + address + " is listed twice");
        }
      }
    }
  }

  /** Whether this task is the chief: {@code chief:0}, or {@code worker:0} with no chief job. */
  public boolean isChief() {
    return type == chiefType() && index == 0;
  }

  /** Whether this task is the evaluator, outside the cluster. */
  public boolean isEvaluator() {
    return type == TaskType.EVALUATOR;
  }

  /** Whether this task is a parameter server. */
  public boolean isPs() {
    return type == TaskType.PS;
  }

  /** The chief's job: {@code chief} if the cluster has one, else {@code worker}. */
  public TaskType chiefType() {
    return jobs.containsKey(TaskType.CHIEF) ? TaskType.CHIEF : TaskType.WORKER;
  }

  /** The training replicas: the chief and the workers. */
  public int replicaCount() {
    return tasks(TaskType.CHIEF).size() + tasks(TaskType.WORKER).size();
  }

  /** This replica's index (0 for the chief), which picks its data shard; -1 for a ps task. */
  public int replicaIndex() {
    return switch (type) {
      case CHIEF -> 0;
      case WORKER -> index + tasks(TaskType.CHIEF).size();
      case PS, EVALUATOR -> -1;
    };
  }

  /** The number of ps tasks. */
  public int psCount() {
    return tasks(TaskType.PS).size();
  }

  /** The addresses of {@code job}'s tasks (empty when the cluster has no such job). */
  public List<String> tasks(TaskType job) {
    return jobs.getOrDefault(job, List.of());
  }

  /** This task's own {@code host:port} (the evaluator, outside the cluster, has none). */
  public String address() {
    if (isEvaluator()) {
      throw new IllegalStateException("the evaluator is outside the cluster: no address");
    }
    return tasks(type).get(index);
  }

  /** TensorFlow's name for a task: {@code /job:ps/replica:0/task:0}. */
  public static String taskName(TaskType job, int index) {
    return "/job:" + job.jobName() + "/replica:0/task:" + index;
  }

  /** This task's TensorFlow name. */
  public String taskName() {
    return taskName(type, index);
  }

  /** Every task's name and address, chief first, then workers, then ps tasks. */
  public List<String[]> allTasks() {
    List<String[]> all = new ArrayList<>();
    for (TaskType job : TaskType.values()) {
      List<String> addresses = tasks(job);
      for (int i = 0; i < addresses.size(); i++) {
        all.add(new String[] {taskName(job, i), addresses.get(i)});
      }
    }
    return all;
  }

  /** A short description, e.g. {@code worker:1 of chief 1, worker 2, ps 1 (TF_CONFIG)}. */
  public String describe() {
    return type.jobName()
        + ":"
        + index
        + " of a cluster of "
        + tasks(TaskType.CHIEF).size()
        + " chief, "
        + tasks(TaskType.WORKER).size()
        + " worker, "
        + psCount()
        + " ps ("
        + source
        + ")";
  }

  private void requireSameAs(ClusterConfig flags) throws ClusterConfigException {
    String problem = null;
    if (!flags.tasks(TaskType.PS).equals(tasks(TaskType.PS))) {
      problem = "--ps_hosts " + String.join(",", flags.tasks(TaskType.PS));
    } else if (!flags.replicaAddresses().equals(replicaAddresses())) {
      problem = "--worker_hosts " + String.join(",", flags.tasks(TaskType.WORKER));
    } else if (flags.isPs() != isPs()) {
      problem = "--job_name " + flags.type.jobName();
    } else if (isPs() ? flags.index != index : flags.replicaIndex() != replicaIndex()) {
      problem = "--task_index " + flags.index;
    }
    if (problem != null) {
      throw new ClusterConfigException(
          problem + " contradicts " + TF_CONFIG + " (" + describe() + "): give one or the other");
    }
  }

  private List<String> replicaAddresses() {
    List<String> all = new ArrayList<>(tasks(TaskType.CHIEF));
    all.addAll(tasks(TaskType.WORKER));
    return all;
  }
}
