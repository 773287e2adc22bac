package org.tfmnist.bench;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from outside the server's process: {@code wrk} (REST, HTTP/1.1 keep-alive) and {@code
 * h2load} (gRPC: HTTP/2 POSTs of a length-prefixed PredictRequest, one stream per connection), both
 * Debian packages ({@code wrk}, {@code nghttp2-client}), run as child processes against a server on
 * 127.0.0.1. h2load counts HTTP statuses, and gRPC answers errors with HTTP 200 and a {@code
 * grpc-status} trailer, so every figure is printed beside the server's own count of OK predicts
 * over the same run.
 */
final class ExternalLoad {
  /** One run: requests/s and latency as the tool reports them, its request count. */
  record Result(String tool, double perSecond, String latency, long requests, long errors) {}

  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern WRK_PERCENTILE =
      Pattern.compile("\\s+(50|99)%\\s+([\\d.]+)(us|ms|s)\\b");
  private static final Pattern WRK_COUNT = Pattern.compile("(\\d+) requests in");
  private static final Pattern WRK_ERRORS = Pattern.compile("non-2xx (\\d+)");
  private static final Pattern H2LOAD_ERRORS = Pattern.compile("(\\d+) failed, (\\d+) errored");
  private static final Pattern H2LOAD_RATE =
      Pattern.compile("finished in [\\d.]+m?s, ([\\d.]+) req/s");
  private static final Pattern H2LOAD_COUNT =
      Pattern.compile("requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded");
  private static final Pattern H2LOAD_TIME =
      Pattern.compile("time for request:\\s+\\S+\\s+\\S+\\s+(\\S+)");

  private ExternalLoad() {}

  /** Whether {@code tool} is an executable on the PATH. */
  static boolean installed(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** {@code wrk} POSTing {@code body} to {@code path} from {@code clients} connections. */
  static Result wrk(int port, String path, byte[] body, int clients, double seconds, Path work)
      throws IOException, InterruptedException {
    Path bodyFile = Files.write(work.resolve("body.json"), body);
    Path script =
        Files.writeString(
            work.resolve("post.lua"),
            "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.body = io.open(\""
                + bodyFile
                + "\"):read(\"*a\")\n"
                + "done = function(summary, latency, requests)\n"
                + "  io.write(string.format(\"non-2xx %d\\n\", summary.errors.status))\n"
                + "end\n");
    String out =
        run(
            List.of(
                "wrk",
                "-t1",
                "-c" + clients,
                "-d" + Math.max(1, Math.round(seconds)) + "s",
                "--latency",
                "-s",
                script.toString(),
                "http://127.0.0.1:" + port + path),
            seconds,
            work);
    double rate = number(WRK_RATE, out, "wrk's Requests/sec");
    List<String> percentiles = new ArrayList<>();
    Matcher m = WRK_PERCENTILE.matcher(out);
    while (m.find()) {
      percentiles.add("p" + m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    long count = (long) number(WRK_COUNT, out, "wrk's request count");
    long errors = (long) number(WRK_ERRORS, out, "wrk's non-2xx count");
    return new Result("wrk", rate, String.join(", ", percentiles), count, errors);
  }

  /**
   * {@code h2load} sending {@code request} (a serialized PredictRequest) to PredictionService/
   * Predict from {@code clients} connections, one call in flight on each.
   */
  static Result h2load(int port, byte[] request, int clients, double seconds, Path work)
      throws IOException, InterruptedException {
    ByteBuffer framed = ByteBuffer.allocate(5 + request.length); // gRPC's length-prefixed message
    framed.put((byte) 0).putInt(request.length).put(request);
    Path data = Files.write(work.resolve("predict.grpc"), framed.array());
    String out =
        run(
            List.of(
                "h2load",
                "-t1",
                "-c" + clients,
                "-m1",
                "-D" + Math.max(1, Math.round(seconds)),
                "-d",
                data.toString(),
                "-H",
                "content-type: application/grpc",
                "-H",
                "te: trailers",
                "http://127.0.0.1:" + port + "/tensorflow.serving.PredictionService/Predict"),
            seconds,
            work);
    double rate = number(H2LOAD_RATE, out, "h2load's req/s");
    long count = (long) number(H2LOAD_COUNT, out, "h2load's succeeded count");
    Matcher e = H2LOAD_ERRORS.matcher(out);
    long errors = e.find() ? Long.parseLong(e.group(1)) + Long.parseLong(e.group(2)) : -1;
    Matcher t = H2LOAD_TIME.matcher(out);
    String latency = t.find() ? "mean " + t.group(1) : "";
    return new Result("h2load", rate, latency, count, errors);
  }

  private static double number(Pattern p, String out, String what) throws IOException {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IOException("no " + what + " in its output: " + out.strip());
    }
    return Double.parseDouble(m.group(1));
  }

  /**
   * Runs {@code command}, its output (both streams) into a file, waiting at most {@code seconds} +
   * 30 s; the output.
   */
  private static String run(List<String> command, double seconds, Path work)
      throws IOException, InterruptedException {
    Path log = work.resolve(command.get(0) + ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor((long) seconds + 30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish in " + ((long) seconds + 30) + " s");
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(command.get(0) + " exited " + p.exitValue() + ": " + text.strip());
    }
    return text;
  }

  /** The line {@code benchmark --serve --external} prints for {@code r}. */
  static String describe(Result r, String protocol, int clients, long serverOk) {
    return String.format(
        Locale.ROOT,
        "%-8s %-7s %7d %11.0f   %s; %d answered, %d errors; the server: %d OK",
        protocol,
        r.tool(),
        clients,
        r.perSecond(),
        r.latency(),
        r.requests(),
        r.errors(),
        serverOk);
  }
}
