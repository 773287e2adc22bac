package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;

/**
 * {@code benchmark --serve} measures a real server over loopback: 16 rows (REST and gRPC; 1, 8, 32
 * and 64 clients; batching off and on), every one with answered requests (a latency, not NaN) and
 * none failed, and the summary line; then the overhead rows (the server in a child JVM pinned to
 * one CPU, the clients to another), each with requests served, a bare throughput and the server's
 * CPU per request. Speeds are not asserted (machines differ; docs/serving-grpc.md has the figures).
 */
@Tag("data")
class BenchmarkServeTest {
  private static final Pattern ROW =
      Pattern.compile(
          "(rest|grpc)\\s+(on|off)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+(\\d+)");

  @TempDir Path tmp;

  @Test
  void everyRowAnswersRequestsAndNoneFails() throws Exception {
    CliRun run = benchmark("0.5", "--num_batch_threads", "1", "--overhead-warmup", "1");
    List<String> rows = run.out().lines().filter(l -> ROW.matcher(l).matches()).toList();
    assertEquals(16, rows.size(), run.out());
    for (String protocol : List.of("rest", "grpc")) {
      for (String batching : List.of("off", "on")) {
        for (int clients : new int[] {1, 8, 32, 64}) {
          String row =
              rows.stream()
                  .filter(l -> l.matches(protocol + "\\s+" + batching + "\\s+" + clients + "\\s.*"))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("no row " + protocol + " " + batching));
          Matcher m = ROW.matcher(row);
          assertTrue(m.matches(), row);
          assertEquals("0", m.group(5), "failed requests: " + row);
        }
      }
    }
    assertTrue(run.out().contains("--num_batch_threads 1; session: intra"), run.out());
    assertTrue(run.out().contains("32 clients: batching on/off throughput REST"), run.out());
    List<Matcher> overhead =
        run.out().lines().map(OVERHEAD::matcher).filter(Matcher::matches).toList();
    assertEquals(4, overhead.size(), run.out()); // REST and gRPC, batching off and on
    for (Matcher m : overhead) {
      assertEquals("32", m.group(3), m.group());
      assertTrue(Double.parseDouble(m.group(4)) > 0, "served: " + m.group());
      double batch = Double.parseDouble(m.group(5));
      assertTrue(m.group(2).equals("off") ? batch == 1 : batch >= 1, "batch: " + m.group());
      assertTrue(Double.parseDouble(m.group(6)) > 0, "bare: " + m.group());
      assertTrue(Double.parseDouble(m.group(8)) > 0, "server CPU per request: " + m.group());
      assertEquals("0", m.group(10), "failed requests: " + m.group());
    }
    assertTrue(
        run.out().contains("overhead ratio (served / bare at the batch formed): rest"), run.out());
  }

  /**
   * protocol, batching, clients, served/s, batch, bare/s, ratio, CPU us, outside TF us, (JIT us),
   * failed.
   */
  private static final Pattern OVERHEAD =
      Pattern.compile(
          "(rest|grpc)\\s+(on|off)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+(\\d+)\\s+([\\d.]+)"
              + "\\s+(\\d+)\\s+(-?\\d+)\\s+\\d+\\s+\\d+\\s+(\\d+)");

  private static final Pattern EXTERNAL =
      Pattern.compile(
          "(rest|grpc)\\s+(wrk|h2load)\\s+(32|64)\\s+\\d+\\s+.*; (\\d+) answered, (\\d+) errors;"
              + " the server: (\\d+) OK");

  @Test
  void externalLoadGeneratorsAgreeWithTheServer() throws Exception {
    assumeTrue(
        onPath("wrk") && onPath("h2load"),
        "wrk and h2load are not both installed (apt-get install wrk nghttp2-client)");
    CliRun run = benchmark("0.2", "--external", "--no-overhead");
    List<Matcher> rows = run.out().lines().map(EXTERNAL::matcher).filter(Matcher::matches).toList();
    assertEquals(4, rows.size(), run.out()); // wrk and h2load, 32 and 64 clients
    for (Matcher m : rows) {
      long answered = Long.parseLong(m.group(4));
      assertTrue(answered > 0, m.group());
      assertEquals("0", m.group(5), m.group());
      // the tool stops counting at its deadline; the server also answers what was in flight
      assertTrue(Long.parseLong(m.group(6)) >= answered, m.group());
    }
  }

  private static boolean onPath(String tool) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> !dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, tool)));
  }

  /** {@code benchmark --serve} of the shared softmax model for {@code seconds} a row; exit 0. */
  private CliRun benchmark(String seconds, String... more) throws Exception {
    Path model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "benchmark",
                "--serve",
                model.toString(),
                "--data-dir",
                TestData.mnistSmallDir().toString(),
                "--seconds",
                seconds));
    args.addAll(List.of(more));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    return run;
  }
}
