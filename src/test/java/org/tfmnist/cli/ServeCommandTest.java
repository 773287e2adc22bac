package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in this JVM: it writes to picocli's {@code getOut()}/{@code getErr()} (no global
 * stream swap), and SIGTERM stops it with its two shutdown lines and exit 0. An empty base path
 * needs no model, so no TensorFlow runs.
 */
@Tag("unit")
class ServeCommandTest {
  @TempDir Path base;

  @Test
  void writesToPicocliStreamsAndStopsOnSigterm() throws Exception {
    ServeInProcess serve =
        ServeInProcess.start(
            "serve",
            "--model_base_path",
            base.toString(),
            "--model_name",
            "digits",
            "--port",
            "0",
            "--rest_api_port",
            "0");
    assertEquals(0, serve.stop(), serve.err.toString());
    assertEquals("", serve.err.toString(), "--model_name with a base path is no warning");
    StringWriter out = serve.out;
    String text = out.toString().replace(System.lineSeparator(), "\n");
    String port = "\\d+";
    String root = "http://127\\.0\\.0\\.1:" + port;
    String url = root + "/v1/models/digits";
    String expected =
        String.join(
            "\n",
            "no version of model 'digits' yet; waiting for BASE/1, BASE/2, \\.\\.\\.",
            "serving model 'digits' from "
                + java.util.regex.Pattern.quote(base.toString())
                + " \\(latest version, polled every 1 s\\)",
            "page:     " + root + "/",
            "status:   curl " + url,
            "metadata: curl " + url + "/metadata",
            "predict:  curl -d '\\{\"instances\": \\[\\[784 floats 0\\.\\.1\\]\\]\\}' "
                + url
                + ":predict",
            "gRPC:     127\\.0\\.0\\.1:"
                + port
                + " tensorflow\\.serving\\.PredictionService/Predict, GetModelMetadata;"
                + " ModelService/GetModelStatus, HandleReloadConfigRequest",
            "Ctrl-C stops",
            "stopping: answering the requests in flight",
            "stopped",
            "");
    assertTrue(text.matches(expected), text);
  }
}
