package org.tfmnist.serving.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;
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
  private static final JsonFactory JSON = new JsonFactory();

  private enum State {
    START,
    ROOT,
    SIGNATURE,
    BATCH,
    NAMED_BATCH,
    NAMED_BATCH_VALUE,
    NAMED_BATCH_END,
    ITEMS,
    NAMED_ITEM,
    NAMED_ITEM_VALUE,
    NAMED_ITEM_END,
    IMAGE,
    ROW,
    DONE
  }

  private final ImageBuffer images;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final byte[] copy = new byte[16 * 1024];
  private State state = State.START;
  private String signature;
  private String batchKey; // "instances" or "inputs"
  private String inputName; // a name used for the input ({"images": ...}), checked at the end
  private boolean namedBatch; // {"inputs": {"images": [...]}}
  private boolean namedItem; // inside {"images": IMAGE} of "instances"

  PredictRequestParser(int maxImages) {
    this.images = new ImageBuffer(maxImages);
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
      throw malformed(e);
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
      throw malformed(e);
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
    String sig =
        signature == null || signature.isEmpty() ? ServingSignature.DEFAULT_KEY : signature;
    boolean pixels = sig.equals(ServingSignature.PIXELS_KEY);
    if (!pixels && !sig.equals(ServingSignature.DEFAULT_KEY)) {
      throw new ApiException(
          400, "Serving signature name: \"" + shorten(sig) + "\" not found in signature def");
    }
    String input = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    if (inputName != null && !inputName.equals(input)) {
      throw new ApiException(
          400,
          "signature \""
              + sig
              + "\" has the input \""
              + input
              + "\", not \""
              + shorten(inputName)
              + "\"");
    }
    if (pixels && !images.nested()) {
      throw new ApiException(
          400,
          batchKey
              + "[0]: expected 28 rows of 28 integers 0..255 for predict_pixels, got a list of 784");
    } else if (pixels) {
      images.checkPixels(batchKey);
    } else if (images.nested()) {
      throw new ApiException(
          400,
          batchKey
              + "[0]: expected 784 numbers (a 28x28 image, flattened), got a list of 28 rows"
              + " (rows of 28 integers are for \"signature_name\": \"predict_pixels\")");
    }
    return new PredictRequest(sig, batchKey.equals("instances"), images.values(), images.count());
  }

  private void drain() throws IOException, ApiException {
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
      step(t);
    }
  }

  private void step(JsonToken t) throws IOException, ApiException {
    switch (state) {
      case START -> {
        if (t != JsonToken.START_OBJECT) {
          throw new ApiException(
              400, "the request must be a JSON object with \"instances\" or \"inputs\"");
        }
        state = State.ROOT;
      }
      case ROOT -> root(t);
      case SIGNATURE -> {
        if (t != JsonToken.VALUE_STRING) {
          throw new ApiException(400, "\"signature_name\" must be a string");
        }
        signature = parser.getText();
        state = State.ROOT;
      }
      case BATCH -> {
        if (t == JsonToken.START_ARRAY) {
          state = State.ITEMS;
        } else if (t == JsonToken.START_OBJECT && batchKey.equals("inputs")) {
          state = State.NAMED_BATCH;
        } else {
          throw nonEmptyList();
        }
      }
      case NAMED_BATCH -> {
        if (t != JsonToken.FIELD_NAME) {
          throw new ApiException(
              400, "\"inputs\" must name exactly one input, e.g. {\"images\": [...]}");
        }
        inputName = parser.currentName();
        namedBatch = true;
        state = State.NAMED_BATCH_VALUE;
      }
      case NAMED_BATCH_VALUE -> {
        if (t != JsonToken.START_ARRAY) {
          throw nonEmptyList();
        }
        state = State.ITEMS;
      }
      case NAMED_BATCH_END -> {
        if (t != JsonToken.END_OBJECT) {
          throw new ApiException(
              400,
              "\"inputs\" must name exactly one input, got another: \""
                  + shorten(parser.currentName())
                  + "\"");
        }
        state = State.ROOT;
      }
      case ITEMS -> items(t);
      case NAMED_ITEM -> {
        if (t != JsonToken.FIELD_NAME) {
          throw new ApiException(
              400,
              where()
                  + ": each named instance must have exactly one input, e.g. {\"images\": [...]}");
        }
        if (inputName == null) {
          inputName = parser.currentName();
        } else if (!inputName.equals(parser.currentName())) {
          throw new ApiException(
              400,
              where()
                  + ": every instance must name the same input, got \""
                  + shorten(parser.currentName())
                  + "\" after \""
                  + shorten(inputName)
                  + "\"");
        }
        state = State.NAMED_ITEM_VALUE;
      }
      case NAMED_ITEM_VALUE -> {
        if (t != JsonToken.START_ARRAY) {
          throw new ApiException(
              400,
              where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
        }
        startImage();
      }
      case NAMED_ITEM_END -> {
        if (t != JsonToken.END_OBJECT) {
          throw new ApiException(
              400, where(images.count() - 1) + ": each named instance must have exactly one input");
        }
        namedItem = false;
        state = State.ITEMS;
      }
      case IMAGE -> image(t);
      case ROW -> row(t);
      case DONE ->
          throw new ApiException(400, "malformed JSON: more data after the request's JSON object");
    }
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
        state = State.BATCH;
      }
      default -> throw new ApiException(400, "unknown key \"" + shorten(key) + "\" in the request");
    }
  }

  private void items(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      if (images.count() == 0) {
        throw nonEmptyList();
      }
      state = namedBatch ? State.NAMED_BATCH_END : State.ROOT;
    } else if (t == JsonToken.START_OBJECT && batchKey.equals("instances")) {
      namedItem = true;
      state = State.NAMED_ITEM;
    } else if (t == JsonToken.START_ARRAY) {
      startImage();
    } else {
      throw new ApiException(
          400, where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
    }
  }

  private void startImage() throws ApiException {
    images.startImage();
    state = State.IMAGE;
  }

  private void image(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      images.endImage(where());
      state = namedItem ? State.NAMED_ITEM_END : State.ITEMS;
    } else if (t == JsonToken.START_ARRAY && images.atRowStart()) {
      images.startRow(where());
      state = State.ROW;
    } else if (images.inRows()) {
      throw new ApiException(
          400,
          where()
              + "["
              + (images.position() + 1)
              + "]: expected a row of 28 integers 0..255, got "
              + describe(t));
    } else {
      images.addFlat(number(t, where() + "[" + images.position() + "]"), where());
    }
  }

  private void row(JsonToken t) throws IOException, ApiException {
    String at = where() + "[" + images.position() + "]";
    if (t == JsonToken.END_ARRAY) {
      images.endRow(at);
      state = State.IMAGE;
    } else {
      images.addToRow(number(t, at + "[" + images.inRow() + "]"), at);
    }
  }

  /**
   * The float32 value of a number token; a 400 for anything else or a value not finite in float32.
   */
  private float number(JsonToken t, String at) throws IOException, ApiException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new ApiException(400, at + ": expected a finite number, got " + describe(t));
    }
    float v = parser.getFloatValue();
    if (!Float.isFinite(v)) {
      throw new ApiException(
          400, at + ": " + shorten(parser.getText()) + " is not a finite float32 number");
    }
    return v;
  }

  private String where() {
    return where(images.count());
  }

  private String where(int image) {
    return batchKey + "[" + image + "]";
  }

  private ApiException nonEmptyList() {
    return new ApiException(400, "\"" + batchKey + "\" must be a non-empty list of images");
  }

  private String describe(JsonToken t) throws IOException {
    return switch (t) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "\"" + shorten(parser.getText()) + "\"";
      default -> shorten(parser.getText());
    };
  }

  /** User text for a one-line message: at most 40 characters, control characters escaped. */
  static String shorten(String s) {
    return printable(s.length() > 40 ? s.substring(0, 40) + "..." : s);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static ApiException malformed(JsonProcessingException e) {
    String message = printable(TfmnistException.firstLine(e.getOriginalMessage()));
    int marker = message.indexOf(" (start marker at");
    if (marker > 0) {
      message =
          message.substring(0, marker); // Jackson's source description says nothing useful here
    }
    return new ApiException(400, "malformed JSON: " + message + " at " + location(e));
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "?"
        : "line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
  }
}
