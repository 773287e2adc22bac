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
 * {@code serve --model_config_file} with a bad file: one line naming the file and field, exit 1;
 * {@code --model_name} beside it is ignored with a one-line warning.
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

  @Test
  void aModelNameBesideAConfigFileIsIgnoredWithAWarning() throws Exception {
    Path file = tmp.resolve("models.config");
    Files.writeString(file, "model_config_list { config { name: \"a\" } }");
    String error =
        "error: " + file + ": model_config_list.config[0] (model 'a').base_path: missing\n";
    String warning =
        "warning: --model_name is ignored with --model_config_file (the file names its models)\n";
    for (String option : new String[] {"--model_name", "--name"}) {
      assertEquals(warning + error, serve(file, option, "mnist"), option);
    }
    assertEquals(error, serve(file), "no warning when the option is not given");
  }

  private static String serve(Path file, String... more) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    String[] args = {
      "serve", "--model_config_file", file.toString(), "--port", "0", "--rest_api_port", "0"
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    int code = cli.execute(all);
    assertEquals(1, code, err.toString());
    return err.toString().replace(System.lineSeparator(), "\n");
  }
}
