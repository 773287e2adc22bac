package org.tfmnist.serving.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;

/**
 * Where a TF Serving REST request goes: the model, an optional version or label, and the call
 * ({@code predict}, {@code status} or {@code metadata}). Parsed with TF Serving's own patterns:
 * {@code POST /v1/models/NAME[/versions/N | /labels/L]:predict} and {@code GET
 * /v1/models/NAME[/versions/N | /labels/L][/metadata]}; anything else is TF Serving's 400 {@code
 * Malformed request: METHOD PATH}.
 */
record RestRoute(String model, Long version, String label, String call) {
  private static final Pattern PREDICT =
      Pattern.compile(
          "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)");
  private static final Pattern STATUS =
      Pattern.compile(
          "(?i)/v1/models(?:/([^/:]+))?(?:/versions/(\\d+)|/labels/([^/:]+))?(?:/(metadata))?");

  /** The route of {@code method path}, or a 400 as TF Serving words it. */
  static RestRoute parse(String method, String path) throws ApiException {
    Matcher m;
    if (method.equals("POST") && (m = PREDICT.matcher(path)).matches()) {
      return of(m.group(1), m.group(2), m.group(3), m.group(4).toLowerCase(java.util.Locale.ROOT));
    }
    if (method.equals("GET") && (m = STATUS.matcher(path)).matches()) {
      if (m.group(1) == null) {
        throw new ApiException(400, "Missing model name in request.");
      }
      return of(m.group(1), m.group(2), m.group(3), m.group(4) != null ? "metadata" : "status");
    }
    throw new ApiException(400, "Malformed request: " + method + " " + path);
  }

  private static RestRoute of(String model, String version, String label, String call)
      throws ApiException {
    Long v = null;
    if (version != null) {
      try {
        v = Long.parseLong(version);
      } catch (NumberFormatException e) {
        throw new ApiException(400, "Failed to convert version: " + version + " to numeric.");
      }
    }
    if (call.equals("classify") || call.equals("regress")) {
      throw new ApiException(
          400,
          "Expected "
              + (call.equals("classify") ? "classification" : "regression")
              + " signature method_name to be tensorflow/serving/"
              + call
              + ". Was: "
              + ServingSignature.PREDICT_METHOD);
    }
    return new RestRoute(model, v, label, call);
  }
}
