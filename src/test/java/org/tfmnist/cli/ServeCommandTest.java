package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sun.misc.Signal;

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
    StringWriter out = new StringWriter(); // a StringBuffer inside: safe to read while written
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    AtomicInteger code = new AtomicInteger(-1);
    Thread serve =
        new Thread(
            () ->
                code.set(
                    cli.execute(
                        "serve",
                        "--model_base_path",
                        base.toString(),
                        "--model_name",
                        "digits",
                        "--port",
                        "0",
                        "--rest_api_port",
                        "0")),
            "serve");
    serve.setDaemon(true); // a serve that never stops does not hold the test JVM
    serve.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!out.toString().contains("Ctrl-C stops") && serve.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "serve did not start: " + out + err);
      Thread.sleep(20);
    }
    assertTrue(serve.isAlive(), "serve exited early: " + out + err);
    Signal.raise(new Signal("TERM")); // serve's handler is installed before "Ctrl-C stops"
    serve.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(serve.isAlive(), "serve did not stop on SIGTERM: " + out + err);
    assertEquals(0, code.get(), err.toString());
    assertEquals("", err.toString(), "--model_name with a base path is no warning");
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
