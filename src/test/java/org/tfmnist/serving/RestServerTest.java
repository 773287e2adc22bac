package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/** TF Serving's REST API against a beginners model trained on mnist-small, over real HTTP. */
class RestServerTest {
  static final int N = 5;
  @TempDir static Path tmp;
  static Dataset test;
  static Predictor predictor;
  static RestServer server;
  static String base;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    Path model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    predictor = Predictor.load(model);
    server = new RestServer(predictor, "mnist", 3, new PrintStream(OutputStream.nullOutputStream()));
    int port = server.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + port + "/v1/models/";
  }

  @AfterAll
  static void stop() {
    server.stop();
    predictor.close();
  }

  @Test
  void rowPredictionsEqualThePredictors() throws Exception {
    Prediction[] expected = predictor.predict(test.images(), N);
    for (String path : List.of("mnist:predict", "mnist/versions/1:predict")) {
      HttpResponse<String> r = post(path, "{\"instances\": " + images(N) + "}");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      JsonArray predictions = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
      assertEquals(N, predictions.size());
      for (int i = 0; i < N; i++) {
        JsonObject p = predictions.get(i).getAsJsonObject();
        assertEquals(expected[i].digit(), p.get("classes").getAsInt());
        assertFloats(expected[i].probabilities(), p.getAsJsonArray("probabilities"));
      }
    }
    // named instances
    HttpResponse<String> named = post("mnist:predict", "{\"instances\": [{\"images\": " + image(0) + "}]}");
    assertEquals(200, named.statusCode(), named.body());
    assertFloats(expected[0].probabilities(), JsonParser.parseString(named.body()).getAsJsonObject()
        .getAsJsonArray("predictions").get(0).getAsJsonObject().getAsJsonArray("probabilities"));
  }

  @Test
  void columnarPredictionsEqualThePredictors() throws Exception {
    Prediction[] expected = predictor.predict(test.images(), N);
    for (String body : List.of("{\"inputs\": {\"images\": " + images(N) + "}}", "{\"inputs\": " + images(N) + "}")) {
      HttpResponse<String> r = post("mnist:predict", body);
      assertEquals(200, r.statusCode(), r.body());
      JsonObject outputs = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("outputs");
      JsonArray classes = outputs.getAsJsonArray("classes");
      JsonArray probabilities = outputs.getAsJsonArray("probabilities");
      for (int i = 0; i < N; i++) {
        assertEquals(expected[i].digit(), classes.get(i).getAsInt());
        assertFloats(expected[i].probabilities(), probabilities.get(i).getAsJsonArray());
      }
    }
  }

  @Test
  void predictPixelsTakes28x28IntegerRows() throws Exception {
    byte[] pixels = new byte[784];
    StringBuilder rows = new StringBuilder("[");
    for (int r = 0; r < 28; r++) {
      rows.append(r == 0 ? "[" : ",[");
      for (int c = 0; c < 28; c++) {
        int v = Math.round(test.images()[r * 28 + c] * 255);
        pixels[r * 28 + c] = (byte) v;
        rows.append(c == 0 ? "" : ",").append(v);
      }
      rows.append(']');
    }
    rows.append(']');
    HttpResponse<String> r = post("mnist:predict", "{\"signature_name\": \"predict_pixels\", \"instances\": [" + rows + "]}");
    assertEquals(200, r.statusCode(), r.body());
    Prediction expected = predictor.predictPixels(pixels, 1)[0];
    JsonObject p = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonObject();
    assertEquals(expected.digit(), p.get("classes").getAsInt());
    assertFloats(expected.probabilities(), p.getAsJsonArray("probabilities"));
  }

  @Test
  void statusAndMetadataAnswerLikeTfServing() throws Exception {
    HttpResponse<String> status = get("mnist");
    assertEquals(200, status.statusCode());
    assertEquals("{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
        + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}", status.body());
    HttpResponse<String> metadata = get("mnist/metadata");
    assertEquals(200, metadata.statusCode(), metadata.body());
    JsonObject m = JsonParser.parseString(metadata.body()).getAsJsonObject();
    assertEquals("mnist", m.getAsJsonObject("model_spec").get("name").getAsString());
    assertEquals("1", m.getAsJsonObject("model_spec").get("version").getAsString());
    JsonObject defs = m.getAsJsonObject("metadata").getAsJsonObject("signature_def").getAsJsonObject("signature_def");
    JsonObject images = defs.getAsJsonObject("serving_default").getAsJsonObject("inputs").getAsJsonObject("images");
    assertEquals("DT_FLOAT", images.get("dtype").getAsString());
    assertEquals("x:0", images.get("name").getAsString());
    assertEquals("[{\"size\":\"-1\",\"name\":\"\"},{\"size\":\"784\",\"name\":\"\"}]",
        images.getAsJsonObject("tensor_shape").getAsJsonArray("dim").toString());
    assertEquals("DT_INT64", defs.getAsJsonObject("serving_default").getAsJsonObject("outputs")
        .getAsJsonObject("classes").get("dtype").getAsString());
    assertEquals("tensorflow/serving/predict", defs.getAsJsonObject("serving_default").get("method_name").getAsString());
    assertEquals("DT_UINT8", defs.getAsJsonObject("predict_pixels").getAsJsonObject("inputs")
        .getAsJsonObject("pixels").get("dtype").getAsString());
  }

  @Test
  void badRequestsGet4xxAndTheServerKeepsServing() throws Exception {
    assertError(400, "malformed JSON", post("mnist:predict", "{\"instances\": [[0.1, 0.2"));
    assertError(400, "instances[0]: expected 784 numbers", post("mnist:predict", "{\"instances\": [[0.1, 0.2]]}"));
    assertError(400, "instances[0][3]: expected a finite number, got \"a\"",
        post("mnist:predict", "{\"instances\": [" + image(0).replaceFirst("(([^,]*,){3})[^,]*", "$1\"a\"") + "]}"));
    assertError(400, "\"instances\" must be a non-empty list", post("mnist:predict", "{\"instances\": []}"));
    assertError(400, "exactly one of", post("mnist:predict", "{\"instances\": " + images(1) + ", \"inputs\": " + images(1) + "}"));
    assertError(400, "Serving signature name: \"nope\" not found", post("mnist:predict", "{\"signature_name\": \"nope\", \"instances\": " + images(1) + "}"));
    assertError(400, "instances[0][0][0]: expected an integer 0..255",
        post("mnist:predict", "{\"signature_name\": \"predict_pixels\", \"instances\": [" + pixelRows(0.5) + "]}"));
    assertError(404, "Servable not found for request: Latest(cifar)", post("cifar:predict", "{\"instances\": " + images(1) + "}"));
    assertEquals("{\"error\":\"Servable not found for request: Latest(cifar)\"}", get("cifar").body());
    assertError(404, "Specific(mnist, 2)", get("mnist/versions/2"));
    assertError(405, "not allowed", get("mnist:predict"));
    assertError(405, "not allowed", post("mnist", "{}"));
    assertError(404, "Malformed request", get("mnist/labels/x/y"));
    // after all that, a valid request still succeeds, also several at once
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.sendAsync(request("mnist:predict").POST(HttpRequest.BodyPublishers.ofString(
          "{\"instances\": " + images(N) + "}")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals(200, call.get().statusCode(), call.get().body());
    }
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    byte[] big = new byte[RestServer.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = client.send(request("mnist:predict").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(413, "larger than 8 MiB", r);
    assertEquals(200, post("mnist:predict", "{\"instances\": " + images(1) + "}").statusCode());
  }

  private static void assertError(int status, String message, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    String error = JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
    assertTrue(error.contains(message), error);
  }

  private static void assertFloats(float[] expected, JsonArray actual) {
    assertEquals(expected.length, actual.size());
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], actual.get(c).getAsFloat(), 1e-6f, "class " + c);
    }
  }

  private static String image(int i) {
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < 784; k++) {
      sb.append(k == 0 ? "" : ",").append(test.images()[i * 784 + k]);
    }
    return sb.append(']').toString();
  }

  private static String images(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(image(i));
    }
    return sb.append(']').toString();
  }

  private static String pixelRows(double value) {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < 28; r++) {
      sb.append(r == 0 ? "[" : ",[");
      for (int c = 0; c < 28; c++) {
        sb.append(c == 0 ? "" : ",").append(value);
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
