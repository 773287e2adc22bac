package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;

/**
 * Fuzzes the streaming predict-body parser: whatever the bytes and however they are split into
 * chunks, it returns a well-formed request (784 finite floats per image, integers 0..255 for
 * predict_pixels) or a 400/413 {@link ApiException}, never another exception, and the same request
 * (or error status) for every split. In {@code mvn test} it replays the committed seeds ({@code
 * PredictRequestParserFuzzTestInputs/}) and then fuzzes for a bounded time in its own surefire
 * execution; {@code JAZZER_FUZZ=1 mvn test -Dtest=PredictRequestParserFuzzTest} fuzzes by hand.
 */
@Tag("unit")
class PredictRequestParserFuzzTest {
  static final int MAX_IMAGES = 3;

  @FuzzTest(maxDuration = "3s")
  void parsesOnlyIntoValidRequestsOrApiErrors(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 97);
    byte[] body = data.consumeRemainingAsBytes();
    String whole = parse(body, Math.max(1, body.length));
    String split = parse(body, chunk);
    // a request parses the same however it is split; an error has the same status (the JSON
    // library may word an invalid byte differently at a chunk boundary)
    assertEquals(
        whole.startsWith("4") ? whole.substring(0, 3) : whole,
        split.startsWith("4") ? split.substring(0, 3) : split,
        "the answer depends on how the body was split: " + whole + " / " + split);
  }

  /** The parser's answer as text: the request's shape and a hash of its values, or the error. */
  static String parse(byte[] body, int chunk) {
    PredictRequestParser parser = new PredictRequestParser(MAX_IMAGES);
    try {
      for (int at = 0; at < body.length; at += chunk) {
        parser.feed(body, at, Math.min(chunk, body.length - at));
      }
      PredictRequest r = parser.finish();
      assertTrue(r.count() >= 1 && r.count() <= MAX_IMAGES, "count " + r.count());
      assertEquals(r.count() * 784, r.values().length);
      for (float v : r.values()) {
        assertTrue(Float.isFinite(v), "non-finite value " + v);
        if (r.pixels()) {
          assertTrue(v == Math.rint(v) && v >= 0 && v <= 255, "pixel " + v);
        }
      }
      return r.signature()
          + " rows="
          + r.rows()
          + " count="
          + r.count()
          + " hash="
          + Arrays.hashCode(r.values());
    } catch (ApiException e) {
      assertTrue(e.status == 400 || e.status == 413, "status " + e.status);
      assertTrue(
          !e.getMessage().isBlank() && !e.getMessage().contains("\n"),
          "message: " + e.getMessage());
      return e.status + " " + e.getMessage();
    }
  }
}
