package org.tfmnist.serving.http;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.ImageDecoder;
import org.tfmnist.inference.ImagePreprocessor;
import org.tfmnist.inference.Prediction;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.ModelManager;

/**
 * The draw-a-digit page: static HTML, CSS and JavaScript from the jar at {@code /}, and {@code POST
 * /page/predict}, which takes a picture (the canvas as PNG, or a dropped photo), prepares it as
 * {@code predict} does ({@link ImagePreprocessor}) and answers the digit, the ten probabilities,
 * the 28x28 input the model saw and the model version that answered.
 */
final class DigitPage {
  /** Largest picture accepted. */
  static final int MAX_PICTURE_BYTES = 16 << 20;

  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
          "/page/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/page/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

  private final ModelManager models;

  DigitPage(ModelManager models) {
    this.models = models;
  }

  void handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String[] file = FILES.get(path);
    if (file != null && request.getMethod().equals("GET")) {
      byte[] body = resource(file[0]);
      response.getHeaders().put("Cache-Control", "no-cache");
      RestServer.send(response, callback, 200, file[1], body);
    } else if (path.equals("/page/predict") && request.getMethod().equals("POST")) {
      read(request, response, callback, new ByteArrayOutputStream());
    } else {
      RestServer.send(
          response,
          callback,
          404,
          "application/json",
          RestApi.error("not found: " + request.getMethod() + " " + path).toString());
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = DigitPage.class.getResourceAsStream("page/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("page/" + name + " missing from the jar", e);
    }
  }

  private void read(
      Request request, Response response, Callback callback, ByteArrayOutputStream body) {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(() -> read(request, response, callback, body));
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        callback.failed(chunk.getFailure());
        return;
      }
      ByteBuffer b = chunk.getByteBuffer();
      if (body.size() + b.remaining() > MAX_PICTURE_BYTES) {
        chunk.release();
        fail(response, callback, 413, "picture larger than " + (MAX_PICTURE_BYTES >> 20) + " MiB");
        return;
      }
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      body.write(bytes, 0, bytes.length);
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        predict(body.toByteArray(), response, callback);
        return;
      }
    }
  }

  private void predict(byte[] picture, Response response, Callback callback) {
    float[] input;
    try {
      input = ImagePreprocessor.preprocess(ImageDecoder.decode("picture", picture), "picture");
    } catch (TfmnistException e) {
      fail(response, callback, 400, e.getMessage());
      return;
    }
    try (ModelManager.Lease lease = models.lease(models.name(), null)) {
      Prediction p = lease.predictor().predict(input, 1)[0];
      JsonObject out = new JsonObject();
      out.addProperty("model", models.name());
      out.addProperty("version", lease.version());
      out.addProperty("digit", p.digit());
      out.add("probabilities", RestApi.floats(p.probabilities()));
      out.add("input", RestApi.floats(input));
      RestServer.send(response, callback, 200, "application/json", out.toString());
    } catch (ApiException e) {
      fail(response, callback, e.status, e.getMessage());
    }
  }

  private static void fail(Response response, Callback callback, int status, String message) {
    RestServer.send(
        response, callback, status, "application/json", RestApi.error(message).toString());
  }
}
