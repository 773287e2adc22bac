package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.serving.http.ServerHardeningTest;

/**
 * A TF Serving command line starts {@code serve} unchanged: {@code --model_config_file} beside
 * {@code --model_base_path} (ignored with a warning), {@code --batching_parameters_file} in TF
 * Serving's text format, {@code --monitoring_config_file} moving the metrics to its own path, and
 * {@code =true} booleans. Concurrent REST predicts are answered right and batched, and the metrics
 * at the configured path count them under TF Serving's names. Then 200 concurrent single-image
 * clients for 10 s are all answered: none refused, none left without an answer.
 */
@Tag("data")
class TfServingCommandLineTest {
  private static final int CLIENTS = 8;
  private static final int MANY_CLIENTS = 200;
  private static final Duration LOAD_TIME = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @Test
  void aTfServingCommandLineServesAndExportsItsMetrics() throws Exception {
    TrainedModels.softmax(tmp.resolve("base/1"));
    Dataset test = MnistLoader.load(TestData.mnistSmallDir()).test();
    Path config =
        Files.writeString(
            tmp.resolve("models.config"),
            "model_config_list {\n  config {\n    name: 'digits'\n    base_path: '"
                + tmp.resolve("base")
                + "'\n    model_platform: 'tensorflow'\n  }\n}\n");
    Path batching =
        Files.writeString(
            tmp.resolve("batching.txt"),
            "max_batch_size { value: 4 }\nbatch_timeout_micros { value: 200000 }\n"
                + "max_enqueued_batches { value: 100 }\nnum_batch_threads { value: 1 }\n");
    Path monitoring =
        Files.writeString(
            tmp.resolve("monitoring.txt"),
            "prometheus_config {\n  enable: true,\n  path: \"/custom/metrics\"\n}\n");
    ServeInProcess serve =
        ServeInProcess.start(
            "serve",
            "--port=0",
            "--rest_api_port=0",
            "--model_name=default",
            "--model_base_path=/models/not/there",
            "--model_config_file=" + config,
            "--enable_batching=true",
            "--batching_parameters_file=" + batching,
            "--monitoring_config_file=" + monitoring,
            "--rest_api_num_threads=4",
            "--rest_api_timeout_in_ms=30000",
            "--enable_model_warmup=true",
            "--flush_filesystem_caches=false",
            "--file_system_poll_wait_seconds=0",
            "--per_process_gpu_memory_fraction=0",
            "--tensorflow_intra_op_parallelism=1");
    String root = serve.restRoot();
    try {
      assertTrue(
          serve.err.toString().contains(ServeSource.IGNORED_BASE_PATH), serve.err.toString());
      assertTrue(
          serve.out.toString().contains("metrics:  curl http://127.0.0.1:"), serve.out.toString());
      HttpClient client = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        calls.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create(root + "/v1/models/digits:predict"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"instances\": [" + ServerHardeningTest.imageOf(test, i) + "]}"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      int right = 0;
      Pattern classes = Pattern.compile("\"classes\"\\s*:\\s*\\[?\\s*(\\d+)");
      for (int i = 0; i < CLIENTS; i++) {
        HttpResponse<String> r = calls.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = classes.matcher(r.body());
        assertTrue(m.find(), r.body());
        right += Integer.parseInt(m.group(1)) == test.labels()[i] ? 1 : 0;
      }
      assertTrue(right >= CLIENTS - 2, right + " of " + CLIENTS + " right");
      String metrics = get(client, root + "/custom/metrics");
      assertTrue(
          metrics.contains(
              ":tensorflow:serving:request_count{model_name=\"digits\",status=\"OK\"} "
                  + CLIENTS
                  + "\n"),
          metrics);
      assertTrue(metrics.contains(":tensorflow:serving:request_latency_bucket{"), metrics);
      assertTrue(
          metrics.contains(
              ":tensorflow:serving:batching_session:processed_batch_size_sum " + CLIENTS + "\n"),
          metrics);
      long batches = count(metrics, "processed_batch_size_count");
      assertTrue(batches >= 2 && batches < CLIENTS, batches + " batches of at most 4");
      assertFalse(
          get(client, root + "/monitoring/prometheus/metrics").contains(":tensorflow:"),
          "the metrics are served at the configured path only");
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < MANY_CLIENTS; i++) {
        bodies.add("{\"instances\": [" + ServerHardeningTest.imageOf(test, i) + "]}");
      }
      RestLoad.Result load =
          RestLoad.run(root + "/v1/models/digits:predict", bodies, MANY_CLIENTS, LOAD_TIME);
      // TF Serving queues what its batching queues hold (here 100 batches of 4) and refuses none
      assertEquals(Map.of(200, load.answered()), load.byStatus(), load.toString());
      assertEquals(0, load.noAnswer(), load.toString());
      assertEquals(MANY_CLIENTS, load.clientsAnswered(), load.toString());
    } finally {
      assertEquals(0, serve.stop(), serve.err.toString());
    }
  }

  private static String get(HttpClient client, String url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static long count(String metrics, String name) {
    Matcher m = Pattern.compile(name + " (\\d+)").matcher(metrics);
    assertTrue(m.find(), name + " in\n" + metrics);
    return Long.parseLong(m.group(1));
  }
}
