package org.tfmnist.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code cluster} command whose tasks are {@link FakeTask}s: {@link LocalClusterTest} sends it a
 * real SIGINT, to prove the shutdown hook stops the tasks. Arguments: the rules for the tasks.
 */
public final class FakeLauncher {
  private FakeLauncher() {}

  public static void main(String[] args) throws Exception {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 1, false, LoopbackPorts.pick(2));
    LocalCluster.Timeouts timeouts =
        new LocalCluster.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    System.exit(
        new LocalCluster(plan, fakeTaskCommand(List.of(args)), timeouts, System.out, System.err)
            .run());
  }

  /** {@code java ... FakeTask <rules>}: a small, quick JVM. */
  static List<String> fakeTaskCommand(List<String> rules) {
    return javaCommand(FakeTask.class, rules);
  }

  static List<String> javaCommand(Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>(ChildJvm.command(main.getName()));
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
    command.addAll(args);
    return command;
  }
}
