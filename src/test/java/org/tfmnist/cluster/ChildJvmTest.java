package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A task's JVM is started like the launcher's: same java, options and class path. */
@Tag("unit")
class ChildJvmTest {
  @Test
  void tasksInheritTheLaunchersOptionsButNotItsAgentsDebuggerOrArchiveDump() {
    List<String> launcher =
        List.of(
            "-XX:MaxRAMPercentage=50",
            "-XX:SharedArchiveFile=/opt/tfmnist/tfmnist.jsa",
            "-Dorg.bytedeco.javacpp.cachedir=/opt/tfmnist/javacpp",
            "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
            "-javaagent:/tmp/jacoco.jar",
            "-XX:ArchiveClassesAtExit=/tmp/x.jsa",
            "-Xmx4g");

    assertEquals(
        List.of(
            "-XX:MaxRAMPercentage=50",
            "-XX:SharedArchiveFile=/opt/tfmnist/tfmnist.jsa",
            "-Dorg.bytedeco.javacpp.cachedir=/opt/tfmnist/javacpp",
            "-Xmx4g"),
        ChildJvm.inherited(launcher));
  }

  @Test
  void theCommandIsThisJavaWithThisClassPath() {
    List<String> command = ChildJvm.command("org.example.Main");

    assertEquals(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), command.get(0));
    assertEquals(
        List.of("-cp", System.getProperty("java.class.path"), "org.example.Main"),
        command.subList(command.size() - 3, command.size()));
  }
}
