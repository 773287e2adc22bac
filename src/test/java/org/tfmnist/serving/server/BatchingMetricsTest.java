package org.tfmnist.serving.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.testdata.ForeignModels;

/**
 * The {@code batching_session} metrics the server serves come from its batch scheduler, named and
 * labelled as TF Serving's: a request of two inputs of 3 rows, padded to the allowed size 4.
 */
@Tag("integration")
class BatchingMetricsTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final String PREFIX = ":tensorflow:serving:batching_session:";

  @TempDir Path tmp;

  @Test
  void aBatchedRequestFeedsEveryBatchingFamily() throws Exception {
    ForeignModels.twoInputs(tmp.resolve("two/1"));
    BatchingOptions batching =
        new BatchingOptions(true, 4, 0, 1, 10, List.of(2, 4), false, "batch_threads");
    ServingOptions options =
        ServingOptions.local(ModelSource.basePath("two", tmp.resolve("two")))
            .withBatching(batching);
    options = options.withHttp(options.http().withMonitoring(MonitoringOptions.PROMETHEUS));
    HttpClient http = HttpClient.newHttpClient();
    try (ModelServer server = ModelServer.start(options, QUIET, QUIET)) {
      String root = "http://127.0.0.1:" + server.restPort();
      String rows = "{\"a\": [1, 2, 3], \"b\": [4, 5, 6]}";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(root + "/v1/models/two:predict"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"instances\": [" + String.join(",", rows, rows, rows) + "]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      String text =
          http.send(
                  HttpRequest.newBuilder(URI.create(root + MonitoringOptions.DEFAULT_PATH)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line :
          List.of(
              "input_batch_size_count 2", // one sample per input tensor, as TF Serving records
              "input_batch_size_sum 6",
              "processed_batch_size_count 1",
              "processed_batch_size_sum 4",
              "padding_size_count{execution_batch_size=\"4\"} 1",
              "padding_size_sum{execution_batch_size=\"4\"} 1",
              "queuing_latency_count{thread_pool_name=\"batch_threads\"} 1",
              "wrapped_run_count 1")) {
        assertTrue(text.contains(PREFIX + line + "\n"), line + " in\n" + text);
      }
    }
  }
}
