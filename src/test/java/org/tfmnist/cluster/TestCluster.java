package org.tfmnist.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TestData;
import org.tfmnist.cli.Main;

/**
 * A test cluster on loopback: one child JVM per task, each started with the same command line and
 * its own {@code TF_CONFIG}, output in {@code dir/<job><index>.log}. Closing it kills what is still
 * running.
 */
final class TestCluster implements AutoCloseable {
  private final Path dir;
  private final List<String> args;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final String clusterJson;

  TestCluster(Path dir, int workers, List<String> args) throws IOException {
    this(dir, jobs("worker", workers), args);
  }

  /** A cluster of {@code jobs} (job name to task count, e.g. master 1, worker 1, ps 1). */
  TestCluster(Path dir, Map<String, Integer> jobs, List<String> args) throws IOException {
    this.dir = dir;
    this.args = List.copyOf(args);
    List<String> listed = new ArrayList<>();
    for (Map.Entry<String, Integer> job : jobs.entrySet()) {
      List<String> taskAddresses = new ArrayList<>();
      for (int i = 0; i < job.getValue(); i++) {
        taskAddresses.add("\"127.0.0.1:" + freePort() + "\"");
      }
      listed.add("\"" + job.getKey() + "\":[" + String.join(",", taskAddresses) + "]");
    }
    clusterJson = "\"cluster\":{" + String.join(",", listed) + "}";
  }

  /** {@code workers} tasks of job {@code job} and one ps task. */
  static Map<String, Integer> jobs(String job, int workers) {
    Map<String, Integer> jobs = new LinkedHashMap<>();
    jobs.put(job, workers);
    jobs.put("ps", 1);
    return jobs;
  }

  /**
   * The arguments of a {@code beginners} run on mnist-small: {@code steps} steps into {@code
   * runDir}.
   */
  static List<String> beginners(long steps, Path runDir) {
    return List.of(
        "beginners",
        "--data-dir",
        TestData.mnistSmallDir().toString(),
        "--steps",
        Long.toString(steps),
        "--run-dir",
        runDir.toString());
  }

  /** Starts task {@code type:index}. */
  Process start(String type, int index) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    File log = dir.resolve(type + index + ".log").toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    builder
        .environment()
        .put(
            "TF_CONFIG",
            "{" + clusterJson + ",\"task\":{\"type\":\"" + type + "\",\"index\":" + index + "}}");
    Process process = builder.start();
    processes.put(type + index, process);
    return process;
  }

  /** The exit code of {@code process}, waiting at most {@code seconds}; -1 if still running. */
  static int exitOf(Process process, long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  String log(String task) throws IOException {
    Path file = dir.resolve(task + ".log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** Waits (bounded) until {@code task}'s log contains {@code text}. */
  boolean awaitLog(String task, String text, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (log(task).contains(text)) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process process : processes.values()) {
      process.destroyForcibly();
    }
  }
}
