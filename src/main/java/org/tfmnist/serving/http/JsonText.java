package org.tfmnist.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.ApiException;

/** Client text in one-line error messages: shortened, control characters escaped; JSON errors. */
final class JsonText {
  private JsonText() {}

  /** User text for a one-line message: at most 40 characters, control characters escaped. */
  static String shorten(String s) {
    return printable(s.length() > 40 ? s.substring(0, 40) + "..." : s);
  }

  static String printable(String s) {
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

  static ApiException malformed(JsonProcessingException e) {
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
