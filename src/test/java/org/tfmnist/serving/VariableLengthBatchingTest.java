package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.testdata.ForeignModels;
import org.tfmnist.testdata.TensorValue;

/**
 * TF Serving's {@code pad_variable_length_inputs}: two concurrent requests whose rows differ in
 * length (2 rows of 2 values, 1 row of 3) run as one batch when it is set, each padded with its own
 * first element; each answer's first column equals a direct run of that request alone, and its
 * {@code doubled} output comes back at the padded length, as TF Serving returns it. Without it they
 * run as two batches, each answer exactly a direct run's.
 */
@Tag("integration")
class VariableLengthBatchingTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final float[][] A = {{0.5f, -2f}, {7f, 8f}};
  static final float[][] B = {{3f, 4f, 5f}};

  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void build() throws Exception {
    model = ForeignModels.variableLength(tmp.resolve("ragged/1"));
  }

  static BatchingOptions batching(boolean pad, long timeoutMicros) {
    return new BatchingOptions(true, 3, timeoutMicros, 1, 10, List.of(), pad, "batch_threads");
  }

  @Test
  void paddedRequestsShareOneBatchAndAnswerAsDirectRuns() throws Exception {
    // a batch runs once full (3 rows) or after a minute: only padding puts A and B together
    try (ServedModels served = serve(batching(true, 60_000_000))) {
      JsonArray[] answers = predictTogether(served);
      assertEquals("1 3", batches(served), served.metrics.scrape());
      assertRows(A, answers[0], 3);
      assertRows(B, answers[1], 3);
    }
  }

  @Test
  void withoutTheFlagTheyRunApart() throws Exception {
    try (ServedModels served = serve(batching(false, 100_000))) {
      JsonArray[] answers = predictTogether(served);
      assertEquals("2 3", batches(served), served.metrics.scrape());
      assertRows(A, answers[0], 2);
      assertRows(B, answers[1], 3);
    }
  }

  static ServedModels serve(BatchingOptions batching) throws Exception {
    return ServedModels.start(
        List.of(ModelConfig.latest("ragged", tmp.resolve("ragged"))), batching);
  }

  /** Posts A and B at once; their {@code predictions}. */
  static JsonArray[] predictTogether(ServedModels served) throws Exception {
    CompletableFuture<HttpResponse<String>> a = post(served, A);
    CompletableFuture<HttpResponse<String>> b = post(served, B);
    JsonArray[] out = new JsonArray[2];
    int i = 0;
    for (CompletableFuture<HttpResponse<String>> f : List.of(a, b)) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
      out[i++] = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
    }
    return out;
  }

  static CompletableFuture<HttpResponse<String>> post(ServedModels served, float[][] rows) {
    JsonArray instances = new JsonArray();
    for (float[] row : rows) {
      JsonArray values = new JsonArray();
      for (float v : row) {
        values.add(v);
      }
      instances.add(values);
    }
    JsonObject body = new JsonObject();
    body.add("instances", instances);
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(served.base + "ragged:predict"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Batches run and rows in them, from the processed_batch_size histogram. */
  static String batches(ServedModels served) {
    String s = served.metrics.scrape();
    return metric(s, "processed_batch_size_count") + " " + metric(s, "processed_batch_size_sum");
  }

  static String metric(String scrape, String name) {
    String prefix = ":tensorflow:serving:batching_session:" + name + " ";
    return scrape
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElse(prefix + "0")
        .substring(prefix.length());
  }

  /**
   * Each answer row of {@code rows} equals a direct run of {@code rows} alone; {@code doubled}
   * comes back {@code length} long, its values past the row's own twice the request's first
   * element.
   */
  static void assertRows(float[][] rows, JsonArray answer, int length) {
    int width = rows[0].length;
    float[] flat = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * width, width);
    }
    Map<String, TensorValue> direct =
        ForeignModels.directRun(
            model,
            "serving_default",
            Map.of("tokens", TensorValue.floats(new long[] {rows.length, width}, flat)));
    assertEquals(rows.length, answer.size());
    for (int r = 0; r < rows.length; r++) {
      JsonObject row = answer.get(r).getAsJsonObject();
      assertEquals(direct.get("first").floats()[r], row.get("first").getAsFloat(), "row " + r);
      float[] doubled = new float[length];
      for (int c = 0; c < length; c++) {
        doubled[c] = c < width ? direct.get("doubled").floats()[r * width + c] : 2 * rows[0][0];
      }
      assertArrayEquals(doubled, floats(row.getAsJsonArray("doubled")), "row " + r);
    }
    assertTrue(length >= width);
  }

  static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    int i = 0;
    for (JsonElement e : a) {
      out[i++] = e.getAsFloat();
    }
    return out;
  }
}
