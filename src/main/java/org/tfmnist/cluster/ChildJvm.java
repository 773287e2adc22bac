package org.tfmnist.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts {@code mainClass} in a new JVM like this one: the same {@code java},
 * class path (from the jar, the jar, whose manifest brings {@code lib/}) and JVM options, so that a
 * task started inside the container gets the image's heap limit, class-data-sharing archive and
 * native cache directory as the launcher did. Options that would clash or record instead of run are
 * left out: agents and debuggers (a second JVM cannot take the same debug port) and
 * class-data-sharing dumps.
 */
public final class ChildJvm {
  private static final List<String> NOT_INHERITED =
      List.of(
          "-agentlib:",
          "-agentpath:",
          "-javaagent:",
          "-Xdebug",
          "-Xrunjdwp",
          "-XX:ArchiveClassesAtExit",
          "-Xshare:dump",
          "-XX:DumpLoadedClassList");

  private ChildJvm() {}

  /** {@code java <this JVM's options> -cp <this JVM's class path> mainClass}: add arguments. */
  public static List<String> command(String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return command;
  }

  /** The JVM options of {@code jvmOptions} a task should run with too. */
  static List<String> inherited(List<String> jvmOptions) {
    return jvmOptions.stream()
        .filter(option -> NOT_INHERITED.stream().noneMatch(option::startsWith))
        .toList();
  }
}
