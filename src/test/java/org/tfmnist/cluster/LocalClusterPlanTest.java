package org.tfmnist.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The TF_CONFIG of every task of a local cluster, the ports it runs on, and its line relay. */
@Tag("unit")
class LocalClusterPlanTest {
  private static final Gson GSON = new Gson();

  @Test
  void workerZeroIsTheChiefWithoutAChiefJobAndEveryTaskSeesTheSameCluster() {
    LocalClusterPlan plan = LocalClusterPlan.of(2, 2, false, new int[] {5000, 5001, 5002, 5003});

    assertEquals(
        List.of("worker:0", "worker:1", "ps:0", "ps:1"),
        plan.tasks().stream().map(LocalTask::name).toList());
    assertEquals("worker:0", plan.chief().name());
    assertEquals(
        "{\"cluster\":{\"worker\":[\"127.0.0.1:5000\",\"127.0.0.1:5001\"],"
            + "\"ps\":[\"127.0.0.1:5002\",\"127.0.0.1:5003\"]},"
            + "\"task\":{\"type\":\"ps\",\"index\":1}}",
        plan.tfConfig(plan.tasks().get(3)));
    for (LocalTask task : plan.tasks()) {
      Map<String, Object> config = parse(plan.tfConfig(task));
      assertEquals(parse(plan.tfConfig(plan.tasks().get(0))).get("cluster"), config.get("cluster"));
      assertEquals(Map.of("type", task.job(), "index", (double) task.index()), config.get("task"));
    }
  }

  @Test
  void chiefAddsAChiefJobBesideTheWorkers() {
    LocalClusterPlan plan = LocalClusterPlan.of(1, 2, true, new int[] {6000, 6001, 6002, 6003});

    assertEquals("chief:0", plan.chief().name());
    Map<String, Object> config = parse(plan.tfConfig(plan.chief()));
    assertEquals(
        Map.of(
            "chief", List.of("127.0.0.1:6000"),
            "worker", List.of("127.0.0.1:6001", "127.0.0.1:6002"),
            "ps", List.of("127.0.0.1:6003")),
        config.get("cluster"));
    assertEquals(
        "chief:0 127.0.0.1:6000 (chief), worker:0 127.0.0.1:6001, worker:1 127.0.0.1:6002,"
            + " ps:0 127.0.0.1:6003",
        plan.describe());
  }

  @Test
  void badShapesAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> LocalClusterPlan.of(1, 0, false, new int[1]));
    assertThrows(
        IllegalArgumentException.class, () -> LocalClusterPlan.of(1, 2, false, new int[2]));
    assertThrows(IllegalArgumentException.class, () -> new LocalTask("evaluator", 0, 5000));
    assertThrows(IllegalArgumentException.class, () -> new LocalTask("ps", 0, 0));
  }

  @Test
  void portsAreDistinctFreeAndOnLoopback() throws Exception {
    int[] ports = LoopbackPorts.pick(8);

    assertEquals(8, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
    for (int port : ports) {
      assertTrue(port > 0 && port < 65536, Integer.toString(port));
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      }
    }
  }

  @Test
  void relayPrefixesEveryLineIncludingCarriageReturnsAndALastPartialOne() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    byte[] input = "one\ntwo\r\n10%\r20%\r\ndernière".getBytes(StandardCharsets.UTF_8);

    new LineRelay(new ByteArrayInputStream(input), "ps:0", console, new Object()).run();

    assertEquals(
        "[ps:0] one\n[ps:0] two\n[ps:0] 10%\n[ps:0] 20%\n[ps:0] dernière\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aTasksStdoutAndStderrOnOneConsoleNeverInterleaveWithinALine() throws Exception {
    // stdout and stderr as two streams over one sink, as a terminal or `> log 2>&1` makes them
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(sink, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(sink, true, StandardCharsets.UTF_8);
    Object console = new Object();
    int lines = 3000;
    Thread out = new LineRelay(numbered("out", lines), "ps:0", stdout, console).start("out");
    Thread err = new LineRelay(numbered("err", lines), "ps:0", stderr, console).start("err");
    out.join(30_000);
    err.join(30_000);

    List<String> written = sink.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2 * lines, written.size());
    for (String line : written) {
      assertTrue(line.matches("\\[ps:0] (out|err) line \\d+"), line);
    }
  }

  private static ByteArrayInputStream numbered(String stream, int lines) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      text.append(stream).append(" line ").append(i).append('\n');
    }
    return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> parse(String json) {
    return GSON.fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
  }
}
