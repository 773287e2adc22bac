package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.http.RestRoute.Call;

/** TF Serving's REST paths parsed into a route and its {@link Call}, and its 400s word for word. */
@Tag("unit")
class RestRouteTest {
  @Test
  void eachPathIsItsCall() throws ApiException {
    assertEquals(
        new RestRoute("mnist", null, null, Call.PREDICT),
        RestRoute.parse("POST", "/v1/models/mnist:predict"));
    assertEquals(
        new RestRoute("mnist", 2L, null, Call.PREDICT),
        RestRoute.parse("POST", "/v1/models/mnist/versions/2:PREDICT"));
    assertEquals(
        new RestRoute("mnist", null, "stable", Call.PREDICT),
        RestRoute.parse("POST", "/v1/models/mnist/labels/stable:predict"));
    assertEquals(
        new RestRoute("mnist", null, null, Call.STATUS),
        RestRoute.parse("GET", "/v1/models/mnist"));
    assertEquals(
        new RestRoute("cnn", 7L, null, Call.STATUS),
        RestRoute.parse("GET", "/v1/models/cnn/versions/7"));
    assertEquals(
        new RestRoute("mnist", null, "canary", Call.METADATA),
        RestRoute.parse("GET", "/v1/models/mnist/labels/canary/metadata"));
  }

  @Test
  void theCallsAreNamedInTheMetricsAsTfServingNamesThem() throws ApiException {
    assertEquals("predict", Call.PREDICT.api());
    assertEquals(Call.CLASSIFY, RestRoute.parse("POST", "/v1/models/mnist:classify").call());
    assertEquals(Call.REGRESS, RestRoute.parse("POST", "/v1/models/m/versions/1:Regress").call());
    assertEquals("status", Call.STATUS.api());
    assertEquals("metadata", Call.METADATA.api());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POST|/v1/models/mnist/versions/99999999999999999999:classify|Failed to convert version:"
            + " 99999999999999999999 to numeric.",
        "GET|/v1/models/mnist/versions/99999999999999999999|Failed to convert version:"
            + " 99999999999999999999 to numeric.",
        "GET|/v1/models|Missing model name in request.",
        "GET|/v1/models/mnist:predict|Malformed request: GET /v1/models/mnist:predict",
        "POST|/v1/models/mnist|Malformed request: POST /v1/models/mnist",
      })
  void badPathsAreTfServings400(String method, String path, String message) {
    ApiException e = assertThrows(ApiException.class, () -> RestRoute.parse(method, path));
    assertEquals(400, e.status);
    assertEquals(message, e.getMessage());
  }
}
