package org.tfmnist.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU's model name, as {@code lscpu} shows it (from {@code /proc/cpuinfo}; "unknown"
 * elsewhere).
 */
public final class CpuInfo {
  private CpuInfo() {}

  public static String modelName() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
