package org.tfmnist.serving;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server's Prometheus metrics, named as TensorFlow Serving exports them at {@code
 * /monitoring/prometheus/metrics}: request counts by model, version, API and status, request
 * latency in microseconds, and the sizes of the batches run. Thread-safe, lock-free.
 */
public final class ServingMetrics {
  private static final String COUNT = ":tensorflow:serving:request_count";
  private static final String LATENCY = ":tensorflow:serving:request_latency";
  private static final String BATCH = ":tensorflow:serving:batching_session:processed_batch_size";
  private static final long[] LATENCY_US = {
    100,
    250,
    500,
    1_000,
    2_500,
    5_000,
    10_000,
    25_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    10_000_000
  };
  private static final long[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
  private final Histogram batches = new Histogram(BATCH_SIZES);

  /** One answered request: {@code status} is the HTTP status; {@code nanos} its wall time. */
  public void request(String model, String version, String api, int status, long nanos) {
    String labels =
        "model_name=\""
            + escape(model)
            + "\",model_version=\""
            + escape(version)
            + "\",API=\""
            + api
            + "\",status=\""
            + statusName(status)
            + "\"";
    counts.computeIfAbsent(labels, k -> new AtomicLong()).incrementAndGet();
    String latencyLabels = "model_name=\"" + escape(model) + "\",API=\"" + api + "\"";
    latencies.computeIfAbsent(latencyLabels, k -> new Histogram(LATENCY_US)).observe(nanos / 1000);
  }

  /** How many requests to {@code api} (e.g. "predict") were answered OK so far, all models. */
  public long answeredOk(String api) {
    String suffix = ",API=\"" + api + "\",status=\"OK\"";
    return counts.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  /** One batch of {@code size} images run in one session call. */
  public void batch(int size) {
    batches.observe(size);
  }

  /** The text exposition format (version 0.0.4). */
  public String scrape() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP ").append(COUNT).append(" The total number of requests.\n");
    sb.append("# TYPE ").append(COUNT).append(" counter\n");
    new TreeMap<>(counts)
        .forEach(
            (labels, n) ->
                sb.append(COUNT)
                    .append('{')
                    .append(labels)
                    .append("} ")
                    .append(n.get())
                    .append('\n'));
    sb.append("# HELP ")
        .append(LATENCY)
        .append(" Distribution of wall time (in microseconds) for requests.\n");
    sb.append("# TYPE ").append(LATENCY).append(" histogram\n");
    new TreeMap<>(latencies).forEach((labels, h) -> h.write(sb, LATENCY, labels));
    sb.append("# HELP ")
        .append(BATCH)
        .append(" Sizes of the batches run (images per session call).\n");
    sb.append("# TYPE ").append(BATCH).append(" histogram\n");
    batches.write(sb, BATCH, "");
    return sb.toString();
  }

  private static String statusName(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400, 413 -> "INVALID_ARGUMENT";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
    };
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A cumulative histogram with fixed upper bounds. */
  private static final class Histogram {
    private final long[] bounds;
    private final AtomicLongArray buckets;
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong count = new AtomicLong();

    Histogram(long[] bounds) {
      this.bounds = bounds;
      this.buckets = new AtomicLongArray(bounds.length);
    }

    void observe(long value) {
      for (int i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]) {
          buckets.incrementAndGet(i);
          break;
        }
      }
      sum.addAndGet(value);
      count.incrementAndGet();
    }

    void write(StringBuilder sb, String name, String labels) {
      String sep = labels.isEmpty() ? "" : labels + ",";
      long cumulative = 0;
      for (int i = 0; i < bounds.length; i++) {
        cumulative += buckets.get(i);
        sb.append(name)
            .append("_bucket{")
            .append(sep)
            .append("le=\"")
            .append(bounds[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      String plain = labels.isEmpty() ? "" : "{" + labels + "}";
      sb.append(name)
          .append("_bucket{")
          .append(sep)
          .append("le=\"+Inf\"} ")
          .append(count.get())
          .append('\n');
      sb.append(name)
          .append("_sum")
          .append(plain)
          .append(' ')
          .append(String.format(Locale.ROOT, "%d", sum.get()))
          .append('\n');
      sb.append(name).append("_count").append(plain).append(' ').append(count.get()).append('\n');
    }
  }
}
