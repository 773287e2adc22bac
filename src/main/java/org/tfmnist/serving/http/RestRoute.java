package org.tfmnist.serving.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.serving.ApiException;

/**
 * Where a TF Serving REST request goes: the model, an optional version or label, and the {@link
 * Call}. Parsed with TF Serving's own patterns: {@code POST /v1/models/NAME[/versions/N |
 * /labels/L]:predict} (or {@code :classify}, {@code :regress}) and {@code GET
 * /v1/models/NAME[/versions/N | /labels/L][/metadata]}; anything else is TF Serving's 400 {@code
 * Malformed request: METHOD PATH}.
 */
record RestRoute(String model, Long version, String label, Call call) {
  private static final Pattern PREDICT =
      Pattern.compile(
          "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)");
  private static final Pattern STATUS =
      Pattern.compile(
          "(?i)/v1/models(?:/([^/:]+))?(?:/versions/(\\d+)|/labels/([^/:]+))?(?:/(metadata))?");

  /** What a request asks of the model. */
  enum Call {
    /** {@code POST ...:predict}. */
    PREDICT("predict"),
    /** {@code POST ...:classify}. */
    CLASSIFY("classify"),
    /** {@code POST ...:regress}. */
    REGRESS("regress"),
    /** {@code GET /v1/models/NAME}: the versions' states. */
    STATUS("status"),
    /** {@code GET .../metadata}: the signatures. */
    METADATA("metadata");

    private final String api;

    Call(String api) {
      this.api = api;
    }

    /** The name in the metrics' {@code API} label, as TF Serving's: predict, status, metadata. */
    String api() {
      return api;
    }
  }

  /** The route of {@code method path}, or a 400 as TF Serving words it. */
  static RestRoute parse(String method, String path) throws ApiException {
    Matcher m;
    if (method.equals("POST") && (m = PREDICT.matcher(path)).matches()) {
      Long version = version(m.group(2));
      String verb = m.group(4).toLowerCase(Locale.ROOT);
      Call call =
          switch (verb) {
            case "classify" -> Call.CLASSIFY;
            case "regress" -> Call.REGRESS;
            default -> Call.PREDICT;
          };
      return new RestRoute(m.group(1), version, m.group(3), call);
    }
    if (method.equals("GET") && (m = STATUS.matcher(path)).matches()) {
      if (m.group(1) == null) {
        throw new ApiException(400, "Missing model name in request.");
      }
      Call call = m.group(4) != null ? Call.METADATA : Call.STATUS;
      return new RestRoute(m.group(1), version(m.group(2)), m.group(3), call);
    }
    throw new ApiException(400, "Malformed request: " + method + " " + path);
  }

  private static Long version(String version) throws ApiException {
    if (version == null) {
      return null;
    }
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "Failed to convert version: " + version + " to numeric.");
    }
  }
}
