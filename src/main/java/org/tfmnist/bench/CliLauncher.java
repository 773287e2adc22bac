package org.tfmnist.bench;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command line that starts this CLI in a new JVM, as a user would: {@code java -jar
 * tfmnist.jar} when running from the jar, else {@code java -cp <class path> <main class>} (tests).
 */
public final class CliLauncher {
  private CliLauncher() {}

  /**
   * {@code java ... <mainClass>} (or {@code -jar}) followed by nothing: append the command's
   * arguments.
   */
  public static List<String> command(Class<?> mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path jar = codeSource(mainClass);
    if (jar != null && jar.toString().endsWith(".jar") && Files.isRegularFile(jar)) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(
          System.getProperty("java.class.path", "")
              + File.pathSeparator
              + (jar == null ? "" : jar));
      command.add(mainClass.getName());
    }
    return command;
  }

  /**
   * The class-data-sharing archive the build writes beside the jar ({@code target/tfmnist.jsa}), if
   * this CLI runs from a jar that has one and this JVM can use it: one probe launch with {@code
   * -Xshare:on} ({@code --version}), which fails where the archive is stale (the jar rebuilt
   * without it), was made by another JDK or for the jar at another path, instead of silently
   * starting without it.
   */
  public static Optional<Path> usableCdsArchive(Class<?> mainClass) {
    Path jar = codeSource(mainClass);
    if (jar == null || !jar.toString().endsWith(".jar")) {
      return Optional.empty();
    }
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
    if (!Files.isRegularFile(archive)) {
      return Optional.empty();
    }
    List<String> probe = command(mainClass, archive);
    probe.add("--version");
    try {
      Process process =
          new ProcessBuilder(probe)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0 ? Optional.of(archive) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * {@link #command} started from the class-data-sharing archive {@code archive}, which it must
   * use.
   */
  public static List<String> command(Class<?> mainClass, Path archive) {
    List<String> command = command(mainClass);
    command.addAll(1, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
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
