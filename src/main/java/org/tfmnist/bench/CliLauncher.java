package org.tfmnist.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that starts this CLI in a new JVM, as a user would: {@code java -jar
 * tfmnist.jar} when running from the jar, else {@code java -cp <class path> <main class>} (tests).
 */
public final class CliLauncher {
  private CliLauncher() {}

  /** {@code java ... <mainClass>} (or {@code -jar}) followed by nothing: append the command's arguments. */
  public static List<String> command(Class<?> mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path jar = codeSource(mainClass);
    if (jar != null && jar.toString().endsWith(".jar") && Files.isRegularFile(jar)) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path", "") + File.pathSeparator + (jar == null ? "" : jar));
      command.add(mainClass.getName());
    }
    return command;
  }

  /**
   * The class-data-sharing archive the build writes beside the jar ({@code target/tfmnist.jsa}),
   * if this CLI runs from a jar that has one.
   */
  public static Optional<Path> cdsArchive(Class<?> mainClass) {
    Path jar = codeSource(mainClass);
    if (jar == null || !jar.toString().endsWith(".jar")) {
      return Optional.empty();
    }
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
    return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
  }

  /** {@link #command} started from the class-data-sharing archive {@code archive}. */
  public static List<String> command(Class<?> mainClass, Path archive) {
    List<String> command = command(mainClass);
    command.add(1, "-XX:SharedArchiveFile=" + archive);
    return command;
  }

  private static Path codeSource(Class<?> mainClass) {
    try {
      var source = mainClass.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }
}
