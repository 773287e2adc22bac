package org.tfmnist.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.MnistShape;

/**
 * Parses a TF Serving predict body as it arrives, chunk by chunk, straight into the images' float
 * buffer: no JSON tree, so memory is the tensor (4 bytes per number) plus a constant. Accepts
 * {@code {"instances": [IMAGE, ...]}} (an image may be named: {@code {"images": IMAGE}}) and
 * {@code {"inputs": [IMAGE, ...]}} or {@code {"inputs": {"images": [IMAGE, ...]}}}, with an
 * optional {@code "signature_name"}; an IMAGE is 784 numbers or 28 rows of 28. Every problem is an
 * {@link ApiException} 400 (413 past {@code maxImages}) naming the place, e.g. {@code instances[3][17]}.
 */
final class PredictRequestParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int PIXELS = MnistShape.PIXELS;
  private static final int ROWS = MnistShape.ROWS;
  private static final int COLS = MnistShape.COLS;

  private enum State { START, ROOT, SIGNATURE, BATCH, NAMED_BATCH, NAMED_BATCH_VALUE, NAMED_BATCH_END, ITEMS, NAMED_ITEM,
    NAMED_ITEM_VALUE, NAMED_ITEM_END, IMAGE, ROW, DONE }

  private final int maxImages;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final byte[] copy = new byte[16 * 1024];
  private State state = State.START;
  private String signature;
  private String batchKey;            // "instances" or "inputs"
  private String inputName;           // a name used for the input ({"images": ...}), checked at the end
  private float[] values = new float[PIXELS];
  private int count;                  // complete images
  private int inImage;                // numbers of the current image so far
  private int rowsInImage;            // rows of the current image (nested layout), or -1 flat, 0 unknown yet
  private int inRow;                  // numbers in the current row
  private boolean nestedLayout;       // all images so far were 28x28 rows (else flat)
  private boolean layoutKnown;
  private boolean namedBatch;         // {"inputs": {"images": [...]}}
  private boolean namedItem;          // inside {"images": IMAGE} of "instances"

  PredictRequestParser(int maxImages) {
    this.maxImages = maxImages;
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
      throw new ApiException(400, "the request body is empty; send a JSON object with \"instances\" or \"inputs\"");
    }
    if (state != State.DONE) {
      throw new ApiException(400, "malformed JSON: the body ends before the JSON object does");
    }
    if (batchKey == null) {
      throw new ApiException(400, "the request must have exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
    }
    String sig = signature == null || signature.isEmpty() ? ServingSignature.DEFAULT_KEY : signature;
    boolean pixels = sig.equals(ServingSignature.PIXELS_KEY);
    if (!pixels && !sig.equals(ServingSignature.DEFAULT_KEY)) {
      throw new ApiException(400, "Serving signature name: \"" + shorten(sig) + "\" not found in signature def");
    }
    String input = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    if (inputName != null && !inputName.equals(input)) {
      throw new ApiException(400, "signature \"" + sig + "\" has the input \"" + input + "\", not \"" + shorten(inputName) + "\"");
    }
    if (pixels) {
      checkPixels();
    } else if (nestedLayout) {
      throw new ApiException(400, batchKey + "[0]: expected 784 numbers (a 28x28 image, flattened), got a list of 28 rows"
          + " (rows of 28 integers are for \"signature_name\": \"predict_pixels\")");
    }
    return new PredictRequest(sig, batchKey.equals("instances"), Arrays.copyOf(values, count * PIXELS), count);
  }

  private void checkPixels() throws ApiException {
    if (!nestedLayout) {
      throw new ApiException(400, batchKey + "[0]: expected 28 rows of 28 integers 0..255 for predict_pixels, got a list of 784");
    }
    for (int i = 0; i < count * PIXELS; i++) {
      float v = values[i];
      if (v != Math.rint(v) || v < 0 || v > 255) {
        int image = i / PIXELS;
        int at = i % PIXELS;
        throw new ApiException(400, batchKey + "[" + image + "][" + at / COLS + "][" + at % COLS
            + "]: expected an integer 0..255, got " + v);
      }
    }
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
          throw new ApiException(400, "the request must be a JSON object with \"instances\" or \"inputs\"");
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
          throw new ApiException(400, "\"inputs\" must name exactly one input, e.g. {\"images\": [...]}");
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
          throw new ApiException(400, "\"inputs\" must name exactly one input, got another: \"" + shorten(parser.currentName()) + "\"");
        }
        state = State.ROOT;
      }
      case ITEMS -> items(t);
      case NAMED_ITEM -> {
        if (t != JsonToken.FIELD_NAME) {
          throw new ApiException(400, where() + ": each named instance must have exactly one input, e.g. {\"images\": [...]}");
        }
        if (inputName == null) {
          inputName = parser.currentName();
        } else if (!inputName.equals(parser.currentName())) {
          throw new ApiException(400, where() + ": every instance must name the same input, got \""
              + shorten(parser.currentName()) + "\" after \"" + shorten(inputName) + "\"");
        }
        state = State.NAMED_ITEM_VALUE;
      }
      case NAMED_ITEM_VALUE -> {
        if (t != JsonToken.START_ARRAY) {
          throw new ApiException(400, where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
        }
        startImage();
      }
      case NAMED_ITEM_END -> {
        if (t != JsonToken.END_OBJECT) {
          throw new ApiException(400, where(count - 1) + ": each named instance must have exactly one input");
        }
        namedItem = false;
        state = State.ITEMS;
      }
      case IMAGE -> image(t);
      case ROW -> row(t);
      case DONE -> throw new ApiException(400, "malformed JSON: more data after the request's JSON object");
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
          throw new ApiException(400, "the request must have exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
        }
        batchKey = key;
        state = State.BATCH;
      }
      default -> throw new ApiException(400, "unknown key \"" + shorten(key) + "\" in the request");
    }
  }

  private void items(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      if (count == 0) {
        throw nonEmptyList();
      }
      state = namedBatch ? State.NAMED_BATCH_END : State.ROOT;
    } else if (t == JsonToken.START_OBJECT && batchKey.equals("instances")) {
      namedItem = true;
      state = State.NAMED_ITEM;
    } else if (t == JsonToken.START_ARRAY) {
      startImage();
    } else {
      throw new ApiException(400, where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
    }
  }

  private void startImage() throws ApiException {
    if (count >= maxImages) {
      throw new ApiException(413, "more than " + maxImages + " images in one request; send at most " + maxImages);
    }
    state = State.IMAGE;
    inImage = 0;
    rowsInImage = 0;
    ensureCapacity((count + 1) * PIXELS);
  }

  private void image(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      endImage();
    } else if (t == JsonToken.START_ARRAY && rowsInImage >= 0 && inImage == rowsInImage * COLS) {
      if (rowsInImage == ROWS) {
        throw new ApiException(400, where() + ": expected 28 rows of 28 integers 0..255, got more rows");
      }
      rowsInImage++;
      inRow = 0;
      state = State.ROW;
    } else if (rowsInImage > 0) {
      throw new ApiException(400, where() + "[" + rowsInImage + "]: expected a row of 28 integers 0..255, got " + describe(t));
    } else {
      rowsInImage = -1; // flat
      if (inImage == PIXELS) {
        throw new ApiException(400, where() + ": expected 784 numbers (a 28x28 image, flattened), got more");
      }
      number(t, where() + "[" + inImage + "]");
    }
  }

  private void row(JsonToken t) throws IOException, ApiException {
    String at = where() + "[" + (rowsInImage - 1) + "]";
    if (t == JsonToken.END_ARRAY) {
      if (inRow != COLS) {
        throw new ApiException(400, at + ": expected 28 integers 0..255, got a list of " + inRow);
      }
      state = State.IMAGE;
      return;
    }
    if (inRow == COLS) {
      throw new ApiException(400, at + ": expected 28 integers 0..255, got more");
    }
    number(t, at + "[" + inRow + "]");
    inRow++;
  }

  private void number(JsonToken t, String at) throws IOException, ApiException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new ApiException(400, at + ": expected a finite number, got " + describe(t));
    }
    float v = parser.getFloatValue();
    if (!Float.isFinite(v)) {
      throw new ApiException(400, at + ": " + shorten(parser.getText()) + " is not a finite float32 number");
    }
    values[count * PIXELS + inImage++] = v;
  }

  private void endImage() throws ApiException {
    boolean nested = rowsInImage > 0;
    if (nested ? rowsInImage != ROWS : inImage != PIXELS) {
      String got = nested ? rowsInImage + " rows" : "a list of " + inImage;
      throw new ApiException(400, where() + ": expected 784 numbers (a 28x28 image, flattened)"
          + " or 28 rows of 28 integers 0..255, got " + got);
    }
    if (layoutKnown && nested != nestedLayout) {
      throw new ApiException(400, where() + ": every image must have the same layout (784 numbers, or 28 rows of 28)");
    }
    nestedLayout = nested;
    layoutKnown = true;
    count++;
    state = namedItem ? State.NAMED_ITEM_END : State.ITEMS;
  }

  private void ensureCapacity(int needed) {
    if (needed > values.length) {
      long grown = Math.max(needed, Math.min((long) values.length * 2, (long) maxImages * PIXELS));
      values = Arrays.copyOf(values, (int) grown);
    }
  }

  private String where() {
    return where(count);
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
      message = message.substring(0, marker); // Jackson's source description says nothing useful here
    }
    return new ApiException(400, "malformed JSON: " + message + " at " + location(e));
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
  }
}
