package org.tfmnist.serving.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.inference.ImageDecoder;
import org.tfmnist.inference.ImagePreprocessor;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * The draw-a-digit page: static HTML, CSS and JavaScript from the jar at {@code /}, and {@code POST
 * /page/predict}, which takes a picture (the canvas as PNG, or a dropped photo), prepares it as
 * {@code predict} does ({@link ImagePreprocessor}) and answers the digit, the ten probabilities,
 * the 28x28 input the model saw and the model version that answered. The picture counts against the
 * body budget while it is read; decoding and the prediction run on the {@link PredictPath} (slots,
 * batching, metrics as {@code API="page"}) of the {@link org.tfmnist.serving.PredictService}, never
 * on a Jetty I/O thread.
 */
final class DigitPage {
  /** Largest picture accepted. */
  static final int MAX_PICTURE_BYTES = 16 << 20;

  private static final BodyReader.Limit LIMIT = new BodyReader.Limit("picture", MAX_PICTURE_BYTES);

  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
          "/page/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/page/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

  private final ModelManager models;
  private final PredictPath path;
  private final BodyBudget budget;

  DigitPage(ModelManager models, PredictPath path, BodyBudget budget) {
    this.models = models;
    this.path = path;
    this.budget = budget;
  }

  /** Answers {@code request}, which began at {@code start} ({@link System#nanoTime()}). */
  void handle(Request request, Response response, Callback callback, long start) {
    String uri = request.getHttpURI().getPath();
    String[] file = FILES.get(uri);
    if (file != null && request.getMethod().equals("GET")) {
      byte[] body = resource(file[0]);
      response.getHeaders().put("Cache-Control", "no-cache");
      Responses.send(response, callback, 200, file[1], body);
    } else if (uri.equals("/page/predict") && request.getMethod().equals("POST")) {
      RestRoute route = new RestRoute(models.name(), null, null, RestRoute.Call.PREDICT);
      BodyBudget.Reservation memory = budget.open();
      try {
        path.checkNotBusy();
        new BodyReader(
                request,
                callback,
                memory,
                LIMIT,
                new Picture(response, callback, route, memory, start),
                e -> path.answerError(response, callback, route, "page", e, start))
            .read();
      } catch (ApiException e) {
        memory.close();
        path.answerError(response, callback, route, "page", e, start);
      }
    } else {
      Responses.error(response, callback, 404, "not found: " + request.getMethod() + " " + uri);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = DigitPage.class.getResourceAsStream("page/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("page/" + name + " missing from the jar", e);
    }
  }

  /** One picture: its bytes kept as they arrive (and charged), then prepared and run. */
  private final class Picture implements BodyReader.Sink {
    private final Response response;
    private final Callback callback;
    private final RestRoute route;
    private final BodyBudget.Reservation memory;
    private final long start;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Picture(
        Response response,
        Callback callback,
        RestRoute route,
        BodyBudget.Reservation memory,
        long start) {
      this.response = response;
      this.callback = callback;
      this.route = route;
      this.memory = memory;
      this.start = start;
    }

    @Override
    public void feed(ByteBuffer piece) throws ApiException {
      memory.grow(2L * piece.remaining()); // the buffer grows by doubling
      byte[] bytes = new byte[piece.remaining()];
      piece.get(bytes);
      body.write(bytes, 0, bytes.length);
    }

    @Override
    public void end() {
      predict(body.toByteArray());
    }

    private void predict(byte[] picture) {
      path.run(
          response,
          callback,
          route,
          "page",
          start,
          memory,
          ServingSignature.DEFAULT_KEY,
          def -> request(def, picture),
          this::answer);
    }

    private String answer(PredictService.Answer answer) {
      HostTensor probabilities = answer.outputs().get(ServingSignature.OUTPUT_PROBABILITIES);
      HostTensor classes = answer.outputs().get(ServingSignature.OUTPUT_CLASSES);
      HostTensor input = answer.request().inputs().get(ServingSignature.INPUT_IMAGES);
      JsonObject out = new JsonObject();
      out.addProperty("model", route.model());
      out.addProperty("version", answer.version());
      out.addProperty("digit", classes.longAt(0));
      out.add("probabilities", floats(probabilities));
      out.add("input", floats(input));
      return Responses.GSON.toJson(out);
    }
  }

  private static JsonArray floats(HostTensor t) {
    JsonArray a = new JsonArray(t.size());
    for (int i = 0; i < t.size(); i++) {
      a.add((float) t.doubleAt(i));
    }
    return a;
  }

  /**
   * The picture as {@code serving_default}'s {@code images}; a model without the MNIST signature
   * (images float [-1, 784] to probabilities and classes) cannot answer the page.
   */
  private static PredictRequest request(SignatureDef def, byte[] picture) throws ApiException {
    if (!def.getInputsMap().containsKey(ServingSignature.INPUT_IMAGES)
        || !def.getOutputsMap().containsKey(ServingSignature.OUTPUT_PROBABILITIES)
        || !def.getOutputsMap().containsKey(ServingSignature.OUTPUT_CLASSES)) {
      throw new ApiException(
          400,
          "the page needs a model whose serving_default maps images float [-1, 784] to"
              + " probabilities and classes");
    }
    HostTensor images = HostTensor.floats(new long[] {1, MnistShape.PIXELS}, prepare(picture));
    return new PredictRequest(
        ServingSignature.DEFAULT_KEY,
        Map.of(ServingSignature.INPUT_IMAGES, images),
        List.of(ServingSignature.OUTPUT_PROBABILITIES, ServingSignature.OUTPUT_CLASSES),
        false);
  }

  /** Decodes and prepares the picture; a picture that is not one is a 400. */
  private static float[] prepare(byte[] picture) throws ApiException {
    try {
      return ImagePreprocessor.preprocess(ImageDecoder.decode("picture", picture), "picture");
    } catch (TfmnistException e) {
      throw new ApiException(400, e.getMessage());
    }
  }
}
