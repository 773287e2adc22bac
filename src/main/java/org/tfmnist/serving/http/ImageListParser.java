package org.tfmnist.serving.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.function.Supplier;
import org.tfmnist.serving.ApiException;

/**
 * The list of images of a predict body, token by token, into an {@link ImageBuffer}: each image 784
 * numbers or 28 rows of 28, in {@code "instances"} optionally named ({@code {"images": IMAGE}}),
 * with every problem a 400 naming its place, e.g. {@code instances[3][17]}. Places are only put
 * into words when there is a problem: a body is hundreds of numbers, parsed on the request's path.
 */
final class ImageListParser {
  private enum State {
    ITEMS,
    NAMED_ITEM,
    NAMED_ITEM_VALUE,
    NAMED_ITEM_END,
    IMAGE,
    ROW
  }

  private final JsonParser parser;
  private final ImageBuffer images;
  private final String batchKey; // "instances" or "inputs"
  private State state = State.ITEMS;
  private String inputName; // a name used for the input ({"images": ...}), checked at the end
  private boolean namedItem; // inside {"images": IMAGE} of "instances"
  private final Supplier<String> image = this::where; // e.g. instances[3]
  private final Supplier<String> row = this::rowPlace; // e.g. instances[3][5]

  ImageListParser(JsonParser parser, ImageBuffer images, String batchKey) {
    this.parser = parser;
    this.images = images;
    this.batchKey = batchKey;
  }

  /** The input's name, as {"inputs": {NAME: [...]}} or the instances named it; null if not. */
  String inputName() {
    return inputName;
  }

  void nameInput(String name) {
    inputName = name;
  }

  /** Takes the next token after the list's {@code [}; true once the list has ended. */
  boolean step(JsonToken t) throws IOException, ApiException {
    switch (state) {
      case ITEMS -> {
        return items(t);
      }
      case NAMED_ITEM -> namedItem(t);
      case NAMED_ITEM_VALUE -> namedItemValue(t);
      case NAMED_ITEM_END -> namedItemEnd(t);
      case IMAGE -> image(t);
      case ROW -> row(t);
      default -> throw new IllegalStateException("list state " + state);
    }
    return false;
  }

  private void namedItem(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.FIELD_NAME) {
      throw new ApiException(
          400,
          where() + ": each named instance must have exactly one input, e.g. {\"images\": [...]}");
    }
    if (inputName == null) {
      inputName = parser.currentName();
    } else if (!inputName.equals(parser.currentName())) {
      throw new ApiException(
          400,
          where()
              + ": every instance must name the same input, got \""
              + JsonText.shorten(parser.currentName())
              + "\" after \""
              + JsonText.shorten(inputName)
              + "\"");
    }
    state = State.NAMED_ITEM_VALUE;
  }

  private void namedItemValue(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.START_ARRAY) {
      throw new ApiException(
          400, where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
    }
    startImage();
  }

  private void namedItemEnd(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.END_OBJECT) {
      throw new ApiException(
          400, where(images.count() - 1) + ": each named instance must have exactly one input");
    }
    namedItem = false;
    state = State.ITEMS;
  }

  private boolean items(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      if (images.count() == 0) {
        throw nonEmptyList();
      }
      return true;
    } else if (t == JsonToken.START_OBJECT && batchKey.equals("instances")) {
      namedItem = true;
      state = State.NAMED_ITEM;
    } else if (t == JsonToken.START_ARRAY) {
      startImage();
    } else {
      throw new ApiException(
          400, where() + ": expected an image (784 numbers, or 28 rows of 28), got " + describe(t));
    }
    return false;
  }

  private void startImage() throws ApiException {
    images.startImage();
    state = State.IMAGE;
  }

  private void image(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      images.endImage(image);
      state = namedItem ? State.NAMED_ITEM_END : State.ITEMS;
    } else if (t == JsonToken.START_ARRAY && images.atRowStart()) {
      images.startRow(image);
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
      images.addFlat(number(t), image);
    }
  }

  private void row(JsonToken t) throws IOException, ApiException {
    if (t == JsonToken.END_ARRAY) {
      images.endRow(row);
      state = State.IMAGE;
    } else {
      images.addToRow(number(t), row);
    }
  }

  /**
   * The float32 value of a number token; a 400 for anything else or a value not finite in float32.
   */
  private float number(JsonToken t) throws IOException, ApiException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new ApiException(400, numberPlace() + ": expected a finite number, got " + describe(t));
    }
    float v = parser.getFloatValue();
    if (!Float.isFinite(v)) {
      throw new ApiException(
          400,
          numberPlace()
              + ": "
              + JsonText.shorten(parser.getText())
              + " is not a finite float32 number");
    }
    return v;
  }

  /** The place of the number being read, e.g. {@code instances[3][17]} or {@code [3][5][17]}. */
  private String numberPlace() {
    return state == State.ROW
        ? rowPlace() + "[" + images.inRow() + "]"
        : where() + "[" + images.position() + "]";
  }

  private String rowPlace() {
    return where() + "[" + images.position() + "]";
  }

  private String where() {
    return where(images.count());
  }

  private String where(int image) {
    return batchKey + "[" + image + "]";
  }

  private String describe(JsonToken t) throws IOException {
    return switch (t) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "\"" + JsonText.shorten(parser.getText()) + "\"";
      default -> JsonText.shorten(parser.getText());
    };
  }

  private ApiException nonEmptyList() {
    return new ApiException(400, "\"" + batchKey + "\" must be a non-empty list of images");
  }
}
