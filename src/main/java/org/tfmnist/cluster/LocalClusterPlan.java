package org.tfmnist.cluster;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of a cluster on one machine and the {@code TF_CONFIG} each is started with: every task
 * sees the same {@code cluster} (its jobs and their {@code 127.0.0.1:port} addresses) and its own
 * {@code task}, as Kubeflow's TFJob sets it. Without a {@code chief} job, worker 0 is the chief.
 */
public record LocalClusterPlan(List<LocalTask> tasks) {
  private static final Gson GSON = new Gson();

  public LocalClusterPlan {
    tasks = List.copyOf(tasks);
  }

  /**
   * {@code ps} parameter servers, {@code workers} workers and, with {@code chiefJob}, a separate
   * chief, on {@code ports} (one per task, in the order chief, workers, ps).
   */
  public static LocalClusterPlan of(int ps, int workers, boolean chiefJob, int[] ports) {
    int chiefs = chiefJob ? 1 : 0;
    if (ps < 0 || workers < 0 || chiefs + workers < 1) {
      throw new IllegalArgumentException(
          "ps " + ps + ", workers " + workers + ", chief " + chiefJob);
    }
    if (ports.length != chiefs + workers + ps) {
      throw new IllegalArgumentException(ports.length + " ports for " + (chiefs + workers + ps));
    }
    List<LocalTask> tasks = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < chiefs; i++) {
      tasks.add(new LocalTask("chief", i, ports[next++]));
    }
    for (int i = 0; i < workers; i++) {
      tasks.add(new LocalTask("worker", i, ports[next++]));
    }
    for (int i = 0; i < ps; i++) {
      tasks.add(new LocalTask("ps", i, ports[next++]));
    }
    return new LocalClusterPlan(tasks);
  }

  /** The task that initialises, checkpoints and writes the run: chief 0, else worker 0. */
  public LocalTask chief() {
    return tasks.stream()
        .filter(t -> t.job().equals("chief"))
        .findFirst()
        .orElseGet(() -> tasks.stream().filter(t -> t.job().equals("worker")).findFirst().get());
  }

  /** The {@code TF_CONFIG} JSON for {@code task}. */
  public String tfConfig(LocalTask task) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("cluster", cluster());
    Map<String, Object> self = new LinkedHashMap<>();
    self.put("type", task.job());
    self.put("index", task.index());
    config.put("task", self);
    return GSON.toJson(config);
  }

  /** Job name to the addresses of its tasks by index: chief, worker, ps; absent jobs left out. */
  public Map<String, List<String>> cluster() {
    Map<String, List<String>> cluster = new LinkedHashMap<>();
    for (LocalTask task : tasks) {
      cluster.computeIfAbsent(task.job(), j -> new ArrayList<>()).add(task.address());
    }
    return cluster;
  }

  /** One line for the console: {@code worker:0 127.0.0.1:40123 (chief), ps:0 127.0.0.1:40125}. */
  public String describe() {
    LocalTask chief = chief();
    List<String> parts = new ArrayList<>();
    for (LocalTask task : tasks) {
      parts.add(task.name() + " " + task.address() + (task.equals(chief) ? " (chief)" : ""));
    }
    return String.join(", ", parts);
  }
}
