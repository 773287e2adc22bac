package org.tfmnist.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * The command that starts {@code mainClass} in a new JVM of this one's {@code java} and class path
 * ({@code java -cp <class path> <main class>}): from the jar, the class path is the jar, whose
 * manifest brings {@code lib/}. JVM options reach the children through {@code JAVA_TOOL_OPTIONS},
 * which they inherit with the rest of the environment.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {@code java -cp <this JVM's class path> mainClass}: append the arguments. */
  public static List<String> command(String mainClass) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        mainClass);
  }
}
