package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;

/** TF Serving's REST API against a beginners model trained on mnist-small, over real HTTP. */
@Tag("data")
class RestServerTest {
  static final int N = 5;
  @TempDir static Path tmp;
  static Dataset test;
  static Predictor predictor;
  static Path model;
  static ModelManager models;
  static RestServer server;
  static String base;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    test = MnistLoader.loadTest(TestData.mnistSmallDir());
    model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    predictor = Predictor.load(model);
    models = ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
    server =
        new RestServer(
            models, ServerOptions.defaults().withThreads(3, 32), new ServingMetrics(), QUIET);
    int port = server.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + port + "/v1/models/";
  }

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @AfterAll
  static void stop() {
    server.stop();
    models.close();
    predictor.close();
  }

  @Test
  void rowPredictionsEqualThePredictors() throws Exception {
    Prediction[] expected = predictor.predict(test.images(), N);
    for (String path : List.of("mnist:predict", "mnist/versions/1:predict")) {
      HttpResponse<String> r = post(path, "{\"instances\": " + images(N) + "}");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      JsonArray predictions =
          JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
      assertEquals(N, predictions.size());
      for (int i = 0; i < N; i++) {
        JsonObject p = predictions.get(i).getAsJsonObject();
        assertEquals(expected[i].digit(), p.get("classes").getAsInt());
        assertFloats(expected[i].probabilities(), p.getAsJsonArray("probabilities"));
      }
    }
    // named instances
    HttpResponse<String> named =
        post("mnist:predict", "{\"instances\": [{\"images\": " + image(0) + "}]}");
    assertEquals(200, named.statusCode(), named.body());
    assertFloats(
        expected[0].probabilities(),
        JsonParser.parseString(named.body())
            .getAsJsonObject()
            .getAsJsonArray("predictions")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("probabilities"));
  }

  @Test
  void columnarPredictionsEqualThePredictors() throws Exception {
    Prediction[] expected = predictor.predict(test.images(), N);
    for (String body :
        List.of(
            "{\"inputs\": {\"images\": " + images(N) + "}}", "{\"inputs\": " + images(N) + "}")) {
      HttpResponse<String> r = post("mnist:predict", body);
      assertEquals(200, r.statusCode(), r.body());
      JsonObject outputs =
          JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("outputs");
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
    HttpResponse<String> r =
        post(
            "mnist:predict",
            "{\"signature_name\": \"predict_pixels\", \"instances\": [" + rows + "]}");
    assertEquals(200, r.statusCode(), r.body());
    Prediction expected = predictor.predictPixels(pixels, 1)[0];
    JsonObject p =
        JsonParser.parseString(r.body())
            .getAsJsonObject()
            .getAsJsonArray("predictions")
            .get(0)
            .getAsJsonObject();
    assertEquals(expected.digit(), p.get("classes").getAsInt());
    assertFloats(expected.probabilities(), p.getAsJsonArray("probabilities"));
  }

  @Test
  void statusAndMetadataAnswerLikeTfServing() throws Exception {
    HttpResponse<String> status = get("mnist");
    assertEquals(200, status.statusCode());
    assertEquals(
        "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}",
        status.body());
    HttpResponse<String> metadata = get("mnist/metadata");
    assertEquals(200, metadata.statusCode(), metadata.body());
    JsonObject m = JsonParser.parseString(metadata.body()).getAsJsonObject();
    assertEquals("mnist", m.getAsJsonObject("model_spec").get("name").getAsString());
    assertEquals("1", m.getAsJsonObject("model_spec").get("version").getAsString());
    JsonObject defs =
        m.getAsJsonObject("metadata")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("signature_def");
    JsonObject images =
        defs.getAsJsonObject("serving_default").getAsJsonObject("inputs").getAsJsonObject("images");
    assertEquals("DT_FLOAT", images.get("dtype").getAsString());
    assertEquals("x:0", images.get("name").getAsString());
    assertEquals(
        "[{\"size\":\"-1\",\"name\":\"\"},{\"size\":\"784\",\"name\":\"\"}]",
        images.getAsJsonObject("tensor_shape").getAsJsonArray("dim").toString());
    assertEquals(
        "DT_INT64",
        defs.getAsJsonObject("serving_default")
            .getAsJsonObject("outputs")
            .getAsJsonObject("classes")
            .get("dtype")
            .getAsString());
    assertEquals(
        "tensorflow/serving/predict",
        defs.getAsJsonObject("serving_default").get("method_name").getAsString());
    assertEquals(
        "DT_UINT8",
        defs.getAsJsonObject("predict_pixels")
            .getAsJsonObject("inputs")
            .getAsJsonObject("pixels")
            .get("dtype")
            .getAsString());
  }

  @Test
  void badRequestsGetTfServingsErrorsAndTheServerKeepsServing() throws Exception {
    assertError(400, "JSON Parse error", post("mnist:predict", "{\"instances\": [[0.1, 0.2"));
    assertError(400, "JSON Parse error", post("mnist:predict", ""));
    assertError(
        400,
        "input 'images' has shape [1, 2]; the signature expects [-1, 784]",
        post("mnist:predict", "{\"instances\": [[0.1, 0.2]]}"));
    assertError(
        400,
        "Type: String is not of expected type: float (at instances[0][3])",
        post("mnist:predict", "{\"instances\": [" + withValue(3, "\"a\"") + "]}"));
    assertError(400, "'instances' is empty", post("mnist:predict", "{\"instances\": []}"));
    assertError(
        400,
        "only one of 'inputs' or 'instances'",
        post("mnist:predict", "{\"instances\": " + images(1) + ", \"inputs\": " + images(1) + "}"));
    assertError(400, "Missing 'inputs' or 'instances' key", post("mnist:predict", "{\"foo\": 1}"));
    assertError(
        400,
        "Serving signature name: \"nope\" not found",
        post("mnist:predict", "{\"signature_name\": \"nope\", \"instances\": " + images(1) + "}"));
    assertError(
        400,
        "Type: Number is not of expected type: uint8 (at instances[0][0][0])",
        post(
            "mnist:predict",
            "{\"signature_name\": \"predict_pixels\", \"instances\": [" + pixelRows(0.5) + "]}"));
    assertError(
        400,
        "input 'images' has shape [1, 784, 1]",
        post("mnist:predict", "{\"instances\": [[" + image(0).replace(",", "],[") + "]]}"));
    // TF Serving's routing and lookup messages
    assertError(
        404,
        "Servable not found for request: Latest(cifar)",
        post("cifar:predict", "{\"instances\": " + images(1) + "}"));
    assertError(
        404,
        "Servable not found for request: Specific(mnist, 2)",
        post("mnist/versions/2:predict", "{\"instances\": " + images(1) + "}"));
    assertEquals("{\"error\":\"Could not find any versions of model cifar\"}", get("cifar").body());
    assertError(404, "Could not find any versions of model cifar", get("cifar"));
    assertError(404, "Could not find version 2 of model mnist", get("mnist/versions/2"));
    assertError(
        404,
        "Servable not found for request: Specific(mnist, 2)",
        get("mnist/versions/2/metadata"));
    assertError(400, "Malformed request: GET /v1/models/mnist:predict", get("mnist:predict"));
    assertError(400, "Malformed request: POST /v1/models/mnist", post("mnist", "{}"));
    assertError(400, "Malformed request: GET /v1/models/mnist/labels/x/y", get("mnist/labels/x/y"));
    assertError(
        400, "Malformed request: GET /v1/models/mnist/versions/one", get("mnist/versions/one"));
    assertError(
        400,
        "Missing model name in request.",
        client.send(
            HttpRequest.newBuilder(URI.create(base.replace("/v1/models/", "/v1/models")))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString()));
    assertError(
        400,
        "Unrecognized servable version label: stable",
        post("mnist/labels/stable:predict", "{\"instances\": " + images(1) + "}"));
    assertError(400, "Unrecognized servable version label: canary", get("mnist/labels/canary"));
    assertError(
        400,
        "Failed to convert version: 99999999999999999999 to numeric.",
        get("mnist/versions/99999999999999999999"));
    assertError(
        400, "Expected classification signature", post("mnist:classify", "{\"examples\": []}"));
    assertError(
        400, "Expected regression signature", post("mnist:regress", "{\"examples\": [{}]}"));
    // after all that, a valid request still succeeds
    assertEquals(
        200, post("mnist/versions/1:predict", "{\"instances\": " + images(1) + "}").statusCode());
  }

  @Test
  void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
    int n = 24;
    Prediction[] expected = predictor.predict(test.images(), n);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(
          client.sendAsync(
              request("mnist:predict")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [" + image(i) + "]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = calls.get(i).get();
      assertEquals(200, r.statusCode(), r.body());
      JsonObject p =
          JsonParser.parseString(r.body())
              .getAsJsonObject()
              .getAsJsonArray("predictions")
              .get(0)
              .getAsJsonObject();
      assertEquals(expected[i].digit(), p.get("classes").getAsInt(), "request " + i);
      assertFloats(expected[i].probabilities(), p.getAsJsonArray("probabilities"));
      assertEquals("1", r.headers().firstValue("X-Model-Version").orElse(""));
    }
  }

  @Test
  void tooManyImagesGet413() throws Exception {
    try (ModelManager m =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, x -> {}, QUIET);
        RestServer small =
            new RestServer(
                m,
                new ServerOptions(2, 2, Duration.ofSeconds(5), Duration.ofSeconds(5), 3),
                new ServingMetrics(),
                QUIET)) {
      int port = small.start("127.0.0.1", 0);
      URI url = URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict");
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(url)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": " + images(4) + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertError(413, "input images holds 4 rows; at most 3 per request", r);
      r =
          client.send(
              HttpRequest.newBuilder(url)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": " + images(3) + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }
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

  private static String withValue(int at, String value) {
    String[] parts = image(0).substring(1, image(0).length() - 1).split(",");
    parts[at] = value;
    return "[" + String.join(",", parts) + "]";
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
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
