package org.tfmnist.serving;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's Prometheus metrics, named, labelled and bucketed as TensorFlow Serving 2.x exports
 * them (tensorflow_serving/servables/tensorflow/util.cc, batching/batching_session.cc): {@code
 * :tensorflow:serving:request_count{model_name,status}}, {@code
 * request_latency{model_name,API,entrypoint}} and {@code runtime_latency{model_name,API,runtime}}
 * in microseconds (buckets {@code Exponential(10, 1.8, 33)}), {@code request_example_counts{model}}
 * ({@code Exponential(1, 2, 15)}) and {@code request_example_count_total{model}}, and the batching
 * metrics under {@code batching_session:}. As in TF Serving, a latency is recorded for answered
 * (OK) requests only. Served only when a {@link MonitoringOptions} enables them. Thread-safe,
 * lock-free.
 */
public final class ServingMetrics implements BatchListener {
  private static final String PREFIX = ":tensorflow:serving:";
  private static final String COUNT = PREFIX + "request_count";
  private static final String LATENCY = PREFIX + "request_latency";
  private static final String RUNTIME = PREFIX + "runtime_latency";
  private static final String EXAMPLES = PREFIX + "request_example_counts";
  private static final String EXAMPLES_TOTAL = PREFIX + "request_example_count_total";
  private static final String BATCHING = PREFIX + "batching_session:";
  private static final double[] LATENCY_US = PrometheusHistogram.exponential(10, 1.8, 33);
  private static final double[] EXAMPLE_COUNTS = PrometheusHistogram.exponential(1, 2, 15);
  private static final double[] QUEUING_US = PrometheusHistogram.exponential(100, 1.2, 52);
  private static final double[] BATCH_SIZES = PrometheusHistogram.exponential(1, 2, 14);

  /** TF Serving's {@code runtime} label for a TensorFlow session run. */
  public static final String TF1 = "TF1";

  private final Family counts = new Family(COUNT, "The total number of requests.", null);
  private final Family latencies =
      new Family(
          LATENCY,
          "Distribution of wall time (in microseconds) for Tensorflow Serving request.",
          LATENCY_US);
  private final Family runtimes =
      new Family(
          RUNTIME,
          "Distribution of wall time (in microseconds) for Tensorflow runtime.",
          LATENCY_US);
  private final Family examples =
      new Family(EXAMPLES, "The number of tensorflow.Examples per request.", EXAMPLE_COUNTS);
  private final Family examplesTotal =
      new Family(EXAMPLES_TOTAL, "The total number of tensorflow.Examples.", null);
  private final Family inputBatches =
      new Family(
          BATCHING + "input_batch_size",
          "Tracks the batch size distribution on the inputs.",
          BATCH_SIZES);
  private final Family processedBatches =
      new Family(
          BATCHING + "processed_batch_size",
          "Tracks the batch size distribution on processing.",
          BATCH_SIZES);
  private final Family padding =
      new Family(
          BATCHING + "padding_size",
          "Tracks the padding size distribution on batches.",
          BATCH_SIZES);
  private final Family queuing =
      new Family(
          BATCHING + "queuing_latency",
          "Distribution of wall time spent (in microseconds) in queuing",
          QUEUING_US);
  private final Family wrappedRuns =
      new Family(
          BATCHING + "wrapped_run_count", "Total count of run calls on the wrapped session", null);
  private final Map<String, AtomicLong> okByApi = new ConcurrentHashMap<>();

  /**
   * One answered request, its entrypoint not named: {@code status} is the HTTP status; {@code
   * nanos} its wall time. {@code version} is not a label of TF Serving's metrics and is not kept.
   */
  public void request(String model, String version, String api, int status, long nanos) {
    request(model, version, api, "", status, nanos);
  }

  /**
   * One answered request through {@code entrypoint} ("REST" or "GRPC", as TF Serving labels them):
   * counted in {@code request_count} under its status, and its latency recorded when it succeeded.
   * {@code api} is tfmnist's name ("predict", "classify", "metadata", ...), labelled as TF
   * Serving's ("Predict", "Classify", "GetModelMetadata", ...).
   */
  public void request(
      String model, String version, String api, String entrypoint, int status, long nanos) {
    String name = "model_name=\"" + escape(model) + "\"";
    counts.count(name + ",status=\"" + statusName(status) + "\"", 1);
    if (status == 200) {
      okByApi.computeIfAbsent(api, k -> new AtomicLong()).incrementAndGet();
      latencies.observe(
          name + ",API=\"" + apiLabel(api) + "\",entrypoint=\"" + escape(entrypoint) + "\"",
          nanos / 1000);
    }
  }

  /** One session run of {@code micros} for {@code api} of {@code model} ({@link #TF1}). */
  public void runtime(String model, String api, String runtime, long micros) {
    runtimes.observe(
        "model_name=\""
            + escape(model)
            + "\",API=\""
            + apiLabel(api)
            + "\",runtime=\""
            + escape(runtime)
            + "\"",
        micros);
  }

  /**
   * TF Serving's per-request work metrics of an answered request: the examples of a Classify or
   * Regress, the session time of any (batched: its batch's run, queueing included).
   */
  public void work(String model, String api, PredictRequest request, long runMicros) {
    if (api.equals("classify") || api.equals("regress")) {
      request.inputs().values().stream()
          .findFirst()
          .ifPresent(t -> examples(model, (int) Math.max(t.rows(), 0)));
    }
    runtime(model, api, TF1, runMicros);
  }

  /** A Classify, Regress or MultiInference request of {@code count} {@code tf.Example}s. */
  public void examples(String model, int count) {
    String label = "model=\"" + escape(model) + "\"";
    examples.observe(label, count);
    examplesTotal.count(label, count);
  }

  /** How many requests to {@code api} (e.g. "predict") were answered OK so far, all models. */
  public long answeredOk(String api) {
    AtomicLong n = okByApi.get(api);
    return n == null ? 0 : n.get();
  }

  /** TF Serving's {@code processed_batch_size}: a batch of {@code size} rows, padding included. */
  @Override
  public void batch(int size) {
    processedBatches.observe("", size);
  }

  /** TF Serving's {@code input_batch_size}: one input tensor of a request entering a queue. */
  @Override
  public void batchInput(int rows) {
    inputBatches.observe("", rows);
  }

  /** TF Serving's {@code padding_size}, by the batch's size after padding. */
  @Override
  public void batchPadding(int padding, int executionSize) {
    this.padding.observe("execution_batch_size=\"" + executionSize + "\"", padding);
  }

  /** TF Serving's {@code queuing_latency}, by the batch threads' {@code thread_pool_name}. */
  @Override
  public void batchQueuing(String pool, long micros) {
    queuing.observe("thread_pool_name=\"" + escape(pool) + "\"", micros);
  }

  /** TF Serving's {@code wrapped_run_count}: one session call of a batch. */
  @Override
  public void wrappedRun() {
    wrappedRuns.count("", 1);
  }

  /** The text exposition format (version 0.0.4). */
  public String scrape() {
    StringBuilder sb = new StringBuilder();
    for (Family f :
        new Family[] {
          counts, latencies, runtimes, examples, examplesTotal,
          inputBatches, processedBatches, padding, queuing, wrappedRuns
        }) {
      f.write(sb);
    }
    return sb.toString();
  }

  /** TF Serving's {@code API} label for tfmnist's API names. */
  static String apiLabel(String api) {
    return switch (api) {
      case "predict", "page" -> "Predict";
      case "classify" -> "Classify";
      case "regress" -> "Regress";
      case "multi_inference", "multiinference" -> "MultiInference";
      case "metadata" -> "GetModelMetadata";
      case "status" -> "GetModelStatus";
      default -> escape(api);
    };
  }

  private static String statusName(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400, 413 -> "INVALID_ARGUMENT";
      case 404 -> "NOT_FOUND";
      case 409 -> "FAILED_PRECONDITION";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "UNKNOWN";
    };
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** One metric: counters (no limits) or histograms by label set. */
  private static final class Family {
    private final String name;
    private final String help;
    private final double[] limits;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, PrometheusHistogram> histograms = new ConcurrentHashMap<>();

    Family(String name, String help, double[] limits) {
      this.name = name;
      this.help = help;
      this.limits = limits;
    }

    void count(String labels, long n) {
      counters.computeIfAbsent(labels, k -> new AtomicLong()).addAndGet(n);
    }

    void observe(String labels, long value) {
      histograms.computeIfAbsent(labels, k -> new PrometheusHistogram(limits)).observe(value);
    }

    void write(StringBuilder sb) {
      if (counters.isEmpty() && histograms.isEmpty()) {
        return; // as TF Serving's exporter: a metric with no cell yet is not written
      }
      sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(name).append(limits == null ? " counter\n" : " histogram\n");
      new TreeMap<>(counters)
          .forEach(
              (labels, n) -> {
                sb.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}");
                sb.append(' ').append(n.get()).append('\n');
              });
      new TreeMap<>(histograms).forEach((labels, h) -> h.write(sb, name, labels));
    }
  }
}
