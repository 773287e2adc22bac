package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.serving.VersionStatus;

/** The REST status body, as TF Serving writes it: the state by its name, the version a string. */
@Tag("unit")
class RestApiStatusTest {
  @Test
  void statesAreWrittenByName() {
    List<VersionStatus> statuses =
        List.of(
            new VersionStatus(3, VersionStatus.State.LOADING, "OK", ""),
            new VersionStatus(2, VersionStatus.State.AVAILABLE, "OK", ""),
            new VersionStatus(1, VersionStatus.State.UNLOADING, "OK", ""),
            new VersionStatus(0, VersionStatus.State.END, "UNKNOWN", "no \"saved_model.pb\""));
    assertEquals(
        "{\"model_version_status\":["
            + "{\"version\":\"3\",\"state\":\"LOADING\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}},"
            + "{\"version\":\"2\",\"state\":\"AVAILABLE\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}},"
            + "{\"version\":\"1\",\"state\":\"UNLOADING\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}},"
            + "{\"version\":\"0\",\"state\":\"END\","
            + "\"status\":{\"error_code\":\"UNKNOWN\",\"error_message\":\"no \\\"saved_model.pb\\\"\"}}"
            + "]}",
        Responses.GSON.toJson(RestApi.status(statuses)));
  }
}
