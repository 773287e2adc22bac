package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code serve}'s session flags ({@code --precision}, TF Serving's {@code
 * --tensorflow_*_op_parallelism}) reject bad values with one usage line naming the flag, exit 2,
 * before any model is loaded.
 */
@Tag("unit")
class ServeSessionFlagsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({
    "--precision, float16, '--precision must be one of float32, bfloat16, got float16'",
    "--tensorflow_intra_op_parallelism, -1, '--tensorflow_intra_op_parallelism,"
        + " --tensorflow_inter_op_parallelism and --tensorflow_session_parallelism must be >= 0'",
    "--tensorflow_inter_op_parallelism, -2, '--tensorflow_intra_op_parallelism,"
        + " --tensorflow_inter_op_parallelism and --tensorflow_session_parallelism must be >= 0'",
    "--tensorflow_session_parallelism, -3, '--tensorflow_intra_op_parallelism,"
        + " --tensorflow_inter_op_parallelism and --tensorflow_session_parallelism must be >= 0'"
  })
  void aBadSessionFlagIsAUsageErrorNamingIt(String flag, String value, String message) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code =
        cli.execute(
            "serve",
            "--model",
            tmp.resolve("no-model-needed").toString(),
            "--port",
            "0",
            "--rest_api_port",
            "0",
            flag,
            value);
    assertEquals(2, code, err.toString());
    String first = err.toString().lines().findFirst().orElse("");
    assertTrue(first.contains(message), first);
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }
}
