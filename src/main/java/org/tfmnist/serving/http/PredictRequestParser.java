package org.tfmnist.serving.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictRequest;

/**
 * Parses a TF Serving predict body as it arrives, chunk by chunk, straight into the images' float
 * buffer: no JSON tree, so memory is the tensor (4 bytes per number) plus a constant. Accepts
 * {@code {"instances": [IMAGE, ...]}} (an image may be named: {@code {"images": IMAGE}}) and {@code
 * {"inputs": [IMAGE, ...]}} or {@code {"inputs": {"images": [IMAGE, ...]}}}, with an optional
 * {@code "signature_name"}; an IMAGE is 784 numbers or 28 rows of 28. Every problem is an {@link
 * ApiException} 400 (413 past {@code maxImages}) naming the place, e.g. {@code instances[3][17]}.
 */
final class PredictRequestParser {
  /**
   * Jackson's fast float parser (FastDoubleParser: correctly rounded, as {@link Float#parseFloat},
   * several times faster): a body is hundreds of numbers, parsed on the request's path.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private enum State {
    START,
    ROOT,
    SIGNATURE,
    BATCH,
    NAMED_BATCH,
    NAMED_BATCH_VALUE,
    NAMED_BATCH_END,
    ITEMS,
    DONE
  }

  private final ImageBuffer images;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final byte[] copy = new byte[16 * 1024];
  private State state = State.START;
  private String signature;
  private String batchKey; // "instances" or "inputs"
  private boolean namedBatch; // {"inputs": {"images": [...]}}
  private ImageListParser list; // the list of images, once its key is known

  /** A parser with no bound on memory but {@code maxImages} (for tests and tools). */
  PredictRequestParser(int maxImages) {
    this(new ImageBuffer(maxImages));
  }

  /** A parser charging the images it allocates to {@code memory} (503 past the bound). */
  PredictRequestParser(int maxImages, BodyBudget.Reservation memory) throws ApiException {
    this(new ImageBuffer(maxImages, memory));
  }

  private PredictRequestParser(ImageBuffer images) {
    this.images = images;
    try {
      parser = JSON.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** Parses the next piece of the body (consumed entirely; the buffer may be reused afterwards). */
  void feed(ByteBuffer chunk) throws ApiException {
    while (chunk.hasRemaining()) {
      int n = Math.min(copy.length, chunk.remaining());
      chunk.get(copy, 0, n);
      feed(copy, 0, n);
    }
  }

  void feed(byte[] bytes, int offset, int length) throws ApiException {
    try {
      feeder.feedInput(bytes, offset, offset + length);
      drain();
    } catch (JsonProcessingException e) {
      throw JsonText.malformed(e);
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request: " + e.getMessage());
    }
  }

  /** The whole request, once the body has ended. */
  PredictRequest finish() throws ApiException {
    try {
      feeder.endOfInput();
      drain();
    } catch (JsonProcessingException e) {
      throw JsonText.malformed(e);
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request: " + e.getMessage());
    }
    if (state == State.START) {
      throw new ApiException(
          400, "the request body is empty; send a JSON object with \"instances\" or \"inputs\"");
    }
    if (state != State.DONE) {
      throw new ApiException(400, "malformed JSON: the body ends before the JSON object does");
    }
    if (batchKey == null) {
      throw new ApiException(
          400,
          "the request must have exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
    }
    return PredictRequestCheck.check(signature, batchKey, list.inputName(), images);
  }

  private void drain() throws IOException, ApiException {
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
      step(t);
    }
  }

  private void step(JsonToken t) throws IOException, ApiException {
    switch (state) {
      case START -> start(t);
      case ROOT -> root(t);
      case SIGNATURE -> signatureValue(t);
      case BATCH -> batch(t);
      case NAMED_BATCH -> namedBatch(t);
      case NAMED_BATCH_VALUE -> namedBatchValue(t);
      case NAMED_BATCH_END -> namedBatchEnd(t);
      case ITEMS -> {
        if (list.step(t)) {
          state = namedBatch ? State.NAMED_BATCH_END : State.ROOT;
        }
      }
      case DONE ->
          throw new ApiException(400, "malformed JSON: more data after the request's JSON object");
      default -> throw new IllegalStateException("parser state " + state);
    }
  }

  private void start(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.START_OBJECT) {
      throw new ApiException(
          400, "the request must be a JSON object with \"instances\" or \"inputs\"");
    }
    state = State.ROOT;
  }

  private void signatureValue(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.VALUE_STRING) {
      throw new ApiException(400, "\"signature_name\" must be a string");
    }
    signature = parser.getText();
    state = State.ROOT;
  }

  private void batch(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.START_ARRAY) {
      state = State.ITEMS;
    } else if (t == JsonToken.START_OBJECT && batchKey.equals("inputs")) {
      state = State.NAMED_BATCH;
    } else {
      throw nonEmptyList();
    }
  }

  private void namedBatch(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.FIELD_NAME) {
      throw new ApiException(
          400, "\"inputs\" must name exactly one input, e.g. {\"images\": [...]}");
    }
    list.nameInput(parser.currentName());
    namedBatch = true;
    state = State.NAMED_BATCH_VALUE;
  }

  private void namedBatchValue(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.START_ARRAY) {
      throw nonEmptyList();
    }
    state = State.ITEMS;
  }

  private void namedBatchEnd(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.END_OBJECT) {
      throw new ApiException(
          400,
          "\"inputs\" must name exactly one input, got another: \""
              + JsonText.shorten(parser.currentName())
              + "\"");
    }
    state = State.ROOT;
  }

  private void root(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_OBJECT) {
      state = State.DONE;
      return;
    }
    String key = parser.currentName();
    switch (key) {
      case "signature_name" -> {
        if (signature != null) {
          throw new ApiException(400, "\"signature_name\" given twice");
        }
        state = State.SIGNATURE;
      }
      case "instances", "inputs" -> {
        if (batchKey != null) {
          throw new ApiException(
              400,
              "the request must have exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
        }
        batchKey = key;
        list = new ImageListParser(parser, images, key);
        state = State.BATCH;
      }
      default ->
          throw new ApiException(
              400, "unknown key \"" + JsonText.shorten(key) + "\" in the request");
    }
  }

  private ApiException nonEmptyList() {
    return new ApiException(400, "\"" + batchKey + "\" must be a non-empty list of images");
  }
}
