package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --model_config_file} with a bad file: one line naming the file and field, exit 1.
 */
@Tag("unit")
class ServeConfigFileErrorTest {
  @TempDir Path tmp;

  @Test
  void aBadConfigFileIsOneLineNamingTheFileAndTheField() throws Exception {
    Path file = tmp.resolve("models.config");
    Files.writeString(
        file,
        "model_config_list {\n  config { name: \"mnist\" base_path: \""
            + tmp
            + "\" }\n"
            + "  config { name: \"cnn\" model_version_policy { specific {} } }\n}\n");
    assertEquals(
        "error: " + file + ": model_config_list.config[1] (model 'cnn').base_path: missing\n",
        serve(file));
    Files.writeString(file, "model_config_list { config { name: \"a\" base_path: \"nowhere\" } }");
    assertEquals(
        "error: "
            + file
            + ": "
            + Path.of("nowhere").toAbsolutePath()
            + ": no such directory (expected the base path of model 'a', holding version"
            + " directories 1, 2, ...)\n",
        serve(file));
  }

  private static String serve(Path file) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code =
        cli.execute(
            "serve", "--model_config_file", file.toString(), "--port", "0", "--rest_api_port", "0");
    assertEquals(1, code, err.toString());
    return err.toString().replace(System.lineSeparator(), "\n");
  }
}
