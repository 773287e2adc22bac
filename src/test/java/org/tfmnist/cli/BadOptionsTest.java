package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tfmnist.TestData;

/**
 * A bad training option is a usage error (exit 2) whose first line names the flag, with no stack
 * trace, before any run directory or training: one row per option, each command's own wording (the
 * rows ZooTrainTest and BeginnersCommandTest used to loop over, and the enum-valued flags).
 */
@Tag("data")
class BadOptionsTest {
  @TempDir Path tmp;

  static Stream<Arguments> badOptions() {
    return Stream.of(
        row("--batch must be in 1..1048576, got 0", "beginners", "--batch", "0"),
        row("mutually exclusive", "beginners", "--steps", "10", "--epochs", "1"),
        row("--no-such-flag", "beginners", "--no-such-flag"),
        row("--learning-rate must be > 0, got 0.0", "beginners", "--learning-rate", "0"),
        row("--log-every must be >= 1, got 0", "beginners", "--log-every", "0"),
        row("--steps and --epochs must be >= 1, got steps 0", "beginners", "--steps", "0"),
        row("--keep-prob must be in (0, 1], got 1.5", "experts", "--keep-prob", "1.5"),
        row(
            "--precision must be one of float32, bfloat16, got float16",
            "experts",
            "--precision",
            "float16"),
        row(
            "--optimizer must be one of sgd, adam, got rmsprop",
            "train",
            "--model",
            "mlp16",
            "--optimizer",
            "rmsprop"),
        row("--model is required", "train"),
        row("--model: unknown model 'nope'", "train", "--model", "nope"),
        row(
            "--keep-prob: model mlp16 has no dropout",
            "train",
            "--model",
            "mlp16",
            "--keep-prob",
            "0.5"),
        row(
            "--batch must be at most the training set's size (8000 examples), got 9000",
            "train",
            "--model",
            "mlp16",
            "--batch",
            "9000"),
        row(
            "--batch must be in 1..1048576, got 2147483647",
            "train",
            "--model",
            "mlp16",
            "--batch",
            "2147483647"),
        row("--batch must be in 1..1048576, got 0", "train", "--model", "mlp16", "--batch", "0"),
        row(
            "--steps and --epochs must be >= 1, got steps 0, epochs -3",
            "train",
            "--model",
            "mlp16",
            "--epochs",
            "-3"),
        row("--validation-split", "train", "--model", "mlp16", "--validation-split", "1.5"),
        row("--model: unknown model 'resnet'", "train", "--model", "resnet"),
        row("--model is required", "train", "--epochs", "1"));
  }

  private static Arguments row(String expected, String... args) {
    return Arguments.of(expected, List.of(args));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badOptions")
  void isAUsageErrorNamingTheFlag(String expected, List<String> options) {
    Path run = tmp.resolve("run");
    List<String> args = new ArrayList<>(options);
    args.addAll(
        List.of("--data-dir", TestData.mnistSmallDir().toString(), "--run-dir", run.toString()));
    CliRun result = CliRun.of(args.toArray(String[]::new));
    assertEquals(2, result.exitCode(), result.err());
    String first = result.err().lines().findFirst().orElse("");
    assertTrue(first.contains(expected), "the first line names the flag: " + result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    assertFalse(Files.exists(run), "no run directory for options that cannot run");
  }
}
