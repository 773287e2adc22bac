package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Pngs;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/** Hostile input at the command line costs one line and only its own answer. */
@Tag("data")
class BadInputTest {
  @TempDir Path tmp;

  @Test
  void aTinyPngDeclaring50000By50000AmongGoodImagesCostsOnlyItsOwnAnswer() throws Exception {
    Path run = tmp.resolve("run");
    CliRun trained =
        CliRun.of(
            "beginners",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            run.toString(),
            "--steps",
            "200");
    assertEquals(0, trained.exitCode(), trained.err());
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    Path first = digit(test, 0);
    Path bomb = Files.write(tmp.resolve("bomb.png"), Pngs.declaring(50_000, 50_000));
    assertTrue(Files.size(bomb) < 200, "a tiny file: " + Files.size(bomb) + " bytes");
    Path second = digit(test, 1);

    CliRun predict =
        CliRun.of(
            "predict",
            "--model",
            run.resolve("saved_model").toString(),
            first.toString(),
            bomb.toString(),
            second.toString());
    assertEquals(1, predict.exitCode(), predict.err());
    assertEquals(
        "error: "
            + bomb
            + ": image too large (50000x50000; at most 20000 a side and 50 megapixels)",
        predict.err().strip());
    List<String> answers = predict.out().lines().toList();
    assertEquals(2, answers.size(), predict.out());
    assertTrue(answers.get(0).startsWith(first + ": " + test.labels()[0] + " ("), answers.get(0));
    assertTrue(answers.get(1).startsWith(second + ": " + test.labels()[1] + " ("), answers.get(1));
  }

  @Test
  void aFileMirrorIsOneLineWithoutAStackTrace() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun result =
        CliRun.of(
            "beginners",
            "--data-dir",
            empty.toString(),
            "--mirror",
            "file:///x",
            "--run-dir",
            tmp.resolve("never").toString());
    assertEquals(1, result.exitCode());
    String err = result.err().strip();
    assertFalse(err.contains("\n"), "one line: " + err);
    assertTrue(err.startsWith("error: " + empty + ": missing "), err);
    assertTrue(
        err.endsWith(
            "--mirror file:///x: not an http:// or https:// URL; for files already on"
                + " this machine pass --data-dir DIR"),
        err);
    assertFalse(
        Files.exists(tmp.resolve("never")), "no run directory for a run that could not start");
  }

  private Path digit(Dataset test, int index) throws Exception {
    return Pngs.write(
        tmp.resolve("digit-" + index + ".png"),
        28,
        28,
        8,
        (x, y) -> 255 - Math.round(test.images()[index * 784 + y * 28 + x] * 255));
  }
}
