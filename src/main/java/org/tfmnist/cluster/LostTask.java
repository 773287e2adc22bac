package org.tfmnist.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.TfmnistException;

/**
 * Names the task a TensorFlow error in a cluster is about: the task TensorFlow's own message names
 * ({@code /job:ps/replica:0/task:0}), else the first task of the cluster that no longer accepts
 * connections. The result is one line: {@code lost /job:ps/replica:0/task:0 (127.0.0.1:40123):
 * <TensorFlow's first line>}.
 */
public final class LostTask {
  private static final Pattern TASK =
      Pattern.compile("/job:(chief|worker|ps)/replica:0/task:(\\d+)");
  private static final int PROBE_MS = 1000;

  private LostTask() {}

  /** The user-facing error for {@code error}, raised by a session of {@code config}'s task. */
  public static TfmnistException explain(ClusterConfig config, RuntimeException error) {
    return find(config, error)
        .orElseGet(
            () ->
                new TfmnistException(
                    "cluster task "
                        + config.taskName()
                        + " failed: "
                        + TfmnistException.firstLine(error.getMessage()),
                    error));
  }

  /**
   * {@code error} (e.g. a failed checkpoint save) as a lost task, when TensorFlow failed under it
   * and a task is named or unreachable; otherwise {@code error} itself.
   */
  public static TfmnistException explain(ClusterConfig config, TfmnistException error) {
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof RuntimeException tf
          && cause.getClass().getName().startsWith("org.tensorflow.exceptions")) {
        return find(config, tf).orElse(error);
      }
    }
    return error;
  }

  private static java.util.Optional<TfmnistException> find(
      ClusterConfig config, RuntimeException error) {
    String message = TfmnistException.firstLine(error.getMessage());
    Matcher named = TASK.matcher(error.getMessage() == null ? "" : error.getMessage());
    while (named.find()) {
      TaskType job = TaskType.ofJob(named.group(1));
      int index = Integer.parseInt(named.group(2));
      boolean self = job == config.type() && index == config.index();
      if (!self && index < config.tasks(job).size()) {
        return java.util.Optional.of(
            lost(ClusterConfig.taskName(job, index), config.tasks(job).get(index), message, error));
      }
    }
    for (String[] task : config.allTasks()) {
      if (!task[0].equals(config.taskName()) && !reachable(task[1])) {
        return java.util.Optional.of(lost(task[0], task[1], message, error));
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether {@code address} accepts a TCP connection within a second. */
  public static boolean reachable(String address) {
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          PROBE_MS);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static TfmnistException lost(String task, String address, String why, Throwable cause) {
    return new TfmnistException("lost " + task + " (" + address + "): " + why, cause);
  }
}
