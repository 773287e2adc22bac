package org.tfmnist.cluster;

/**
 * One task of a {@link LocalClusterPlan}: its job ({@code chief}, {@code worker} or {@code ps}),
 * its index in that job and the loopback port it serves on.
 */
public record LocalTask(String job, int index, int port) {
  /** The loopback address every task of a local cluster uses. */
  public static final String HOST = "127.0.0.1";

  public LocalTask {
    if (!job.equals("chief") && !job.equals("worker") && !job.equals("ps")) {
      throw new IllegalArgumentException("job: chief, worker or ps, got " + job);
    }
    if (index < 0 || port < 1 || port > 65535) {
      throw new IllegalArgumentException("index " + index + ", port " + port);
    }
  }

  /** {@code job:index}, the prefix of the task's output lines: {@code ps:0}, {@code worker:1}. */
  public String name() {
    return job + ":" + index;
  }

  /** {@code 127.0.0.1:port}, as the task appears in {@code TF_CONFIG}. */
  public String address() {
    return HOST + ":" + port;
  }

  public boolean isPs() {
    return job.equals("ps");
  }
}
