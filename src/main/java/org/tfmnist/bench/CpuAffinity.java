package org.tfmnist.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * CPU pinning through util-linux's {@code taskset}: which CPUs a process may run on, and moving
 * every thread of a running process (this JVM included) onto a given CPU list. New threads inherit
 * the list of the thread that starts them, so a JVM pinned with {@link #pin} keeps its later
 * threads (gRPC's event loops, HTTP clients) on the same CPUs.
 */
final class CpuAffinity {
  private CpuAffinity() {}

  /** Whether {@code taskset} is on the PATH. */
  static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "taskset"))) {
        return true;
      }
    }
    return false;
  }

  /** The CPUs process {@code pid} may run on, as a list such as {@code "0-3,6"}. */
  static String list(long pid) throws TfmnistException {
    String out = taskset("-p", "-c", Long.toString(pid));
    int colon = out.lastIndexOf(':');
    if (colon < 0) {
      throw new TfmnistException("taskset: unexpected answer: " + out.strip());
    }
    return out.substring(colon + 1).strip();
  }

  /** The CPU numbers of a list such as {@code "0-3,6"}, in order. */
  static List<Integer> cpus(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.split(",")) {
      String[] range = part.strip().split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      for (int cpu = from; cpu <= to; cpu++) {
        cpus.add(cpu);
      }
    }
    return cpus;
  }

  /**
   * Moves every thread of process {@code pid} onto the CPUs of {@code list}. A thread that ends
   * while taskset walks them fails that walk, so it is tried up to three times.
   */
  static void pin(long pid, String list) throws TfmnistException {
    for (int attempt = 1; ; attempt++) {
      try {
        taskset("-a", "-p", "-c", list, Long.toString(pid));
        return;
      } catch (TfmnistException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** {@code command} prefixed so that it starts on the CPUs of {@code list}. */
  static List<String> pinned(String list, List<String> command) {
    List<String> all = new ArrayList<>(List.of("taskset", "-c", list));
    all.addAll(command);
    return all;
  }

  private static String taskset(String... args) throws TfmnistException {
    List<String> command = new ArrayList<>(List.of("taskset"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new TfmnistException("taskset did not answer in 30 s: " + String.join(" ", command));
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new TfmnistException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new TfmnistException("cannot run taskset: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while running taskset", e);
    }
  }
}
