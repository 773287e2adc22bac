package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TfmnistException;

/**
 * The metrics as TF Serving names, labels and buckets them (servables/tensorflow/util.cc), and the
 * monitoring config that decides whether and where they are served.
 */
@Tag("unit")
class ServingMetricsTest {
  @Test
  void requestCountAndLatencyAsTfServingLabelsThem() {
    ServingMetrics m = new ServingMetrics();
    m.request("mnist", "1", "predict", "REST", 200, 150_000); // 150 us
    m.request("mnist", "1", "predict", "GRPC", 200, 20_000_000); // 20 ms
    m.request("mnist", "", "predict", "GRPC", 400, 1_000);
    m.request("", "", "predict", 503, 1_000);
    String s = m.scrape();
    assertTrue(s.contains("# TYPE :tensorflow:serving:request_count counter\n"), s);
    assertTrue(
        s.contains(":tensorflow:serving:request_count{model_name=\"mnist\",status=\"OK\"} 2\n"), s);
    assertTrue(
        s.contains(
            ":tensorflow:serving:request_count{model_name=\"mnist\",status=\"INVALID_ARGUMENT\"} 1\n"),
        s);
    assertTrue(
        s.contains(":tensorflow:serving:request_count{model_name=\"\",status=\"UNAVAILABLE\"} 1\n"),
        s);
    String rest =
        ":tensorflow:serving:request_latency_bucket{model_name=\"mnist\",API=\"Predict\","
            + "entrypoint=\"REST\",le=\"";
    // 150 us: above 104.976, below 188.957 (10 x 1.8^5)
    assertTrue(s.contains(rest + "104.976\"} 0\n"), s);
    assertTrue(s.contains(rest + "188.957\"} 1\n"), s);
    assertTrue(s.contains(rest + "1.47476e+09\"} 1\n"), "the 33rd bucket, ~25 minutes: " + s);
    assertTrue(s.contains(rest + "+Inf\"} 1\n"), s);
    assertTrue(
        s.contains(
            ":tensorflow:serving:request_latency_sum{model_name=\"mnist\",API=\"Predict\","
                + "entrypoint=\"GRPC\"} 20000\n"),
        s);
    assertFalse(s.contains("INVALID_ARGUMENT\",le"), "failed requests have no latency: " + s);
    assertEquals(2, m.answeredOk("predict"));
    assertFalse(s.contains("model_version"), s);
  }

  @Test
  void tfServingsBuckets() {
    double[] latency = PrometheusHistogram.exponential(10, 1.8, 33);
    assertEquals(33, latency.length);
    assertEquals(
        List.of("10", "18", "32.4", "58.32", "104.976"),
        Arrays.stream(latency, 0, 5).mapToObj(PrometheusHistogram::sixDigits).toList());
    double[] examples = PrometheusHistogram.exponential(1, 2, 15);
    assertEquals("16384", PrometheusHistogram.sixDigits(examples[14]));
    assertEquals("0.0001", PrometheusHistogram.sixDigits(1e-4));
    assertEquals("1e-05", PrometheusHistogram.sixDigits(1e-5));
  }

  @Test
  void runtimeExamplesAndBatching() {
    ServingMetrics m = new ServingMetrics();
    m.runtime("mnist", "predict", ServingMetrics.TF1, 900);
    m.examples("census", 3);
    m.batch(8);
    m.wrappedRun();
    m.batchInput(1);
    m.batchPadding(3, 8);
    m.batchQueuing("model_server_batch_threads", 250);
    String s = m.scrape();
    for (String line :
        List.of(
            ":tensorflow:serving:runtime_latency_count{model_name=\"mnist\",API=\"Predict\","
                + "runtime=\"TF1\"} 1",
            ":tensorflow:serving:request_example_counts_bucket{model=\"census\",le=\"4\"} 1",
            ":tensorflow:serving:request_example_count_total{model=\"census\"} 3",
            ":tensorflow:serving:batching_session:processed_batch_size_sum 8",
            ":tensorflow:serving:batching_session:input_batch_size_count 1",
            ":tensorflow:serving:batching_session:padding_size_sum{execution_batch_size=\"8\"} 3",
            ":tensorflow:serving:batching_session:queuing_latency_count"
                + "{thread_pool_name=\"model_server_batch_threads\"} 1",
            ":tensorflow:serving:batching_session:wrapped_run_count 1")) {
      assertTrue(s.contains(line + "\n"), line + " in\n" + s);
    }
    // batching_util.h: Buckets::Exponential(1, 2, 14), 1 to 8192, then +Inf
    assertTrue(s.contains("processed_batch_size_bucket{le=\"8192\"} 1\n"), s);
    assertFalse(s.contains("processed_batch_size_bucket{le=\"16384\"}"), s);
  }

  @Test
  void nothingRecordedNothingWritten() {
    assertEquals("", new ServingMetrics().scrape());
  }

  @Test
  void monitoringConfigAsTfServingReadsIt() throws Exception {
    assertEquals(
        MonitoringOptions.PROMETHEUS,
        MonitoringOptions.parse("prometheus_config { enable: true }", "m.txt"));
    assertEquals(
        new MonitoringOptions(true, "/metrics"),
        MonitoringOptions.parse(
            "prometheus_config {\n  enable: true,\n  path: \"/metrics\"\n}\n", "m.txt"));
    assertFalse(MonitoringOptions.parse("", "m.txt").prometheus(), "off unless enabled");
    assertFalse(
        MonitoringOptions.parse("prometheus_config { path: \"/metrics\" }", "m.txt").prometheus());
    for (String[] c :
        new String[][] {
          {"prometheus_config { enable: yes }", "m.txt:1:"},
          {"prometheus { enable: true }", "m.txt:1:"},
          {"prometheus_config { enable: true path: \"metrics\" }", "must start with '/'"},
          {"prometheus_config { enable: true path: \"/v1/models\" }", "under /v1/"},
        }) {
      TfmnistException e =
          assertThrows(TfmnistException.class, () -> MonitoringOptions.parse(c[0], "m.txt"));
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }
}
