package org.tfmnist.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;

/** The tutorial mains run their command with the same options. */
@Tag("data")
class TutorialMainsTest {
  @TempDir Path tmp;

  @Test
  void beginnersMainTrainsAndExports() {
    Path dir = tmp.resolve("b");
    int code =
        MnistForBeginners.run(
            "--steps",
            "200",
            "--data-dir",
            TestData.mnistSmallDir().toString(),
            "--run-dir",
            dir.toString());
    assertEquals(0, code);
    assertTrue(Files.isDirectory(dir.resolve("saved_model")));
    assertTrue(Files.exists(dir.resolve("metrics.csv")));
  }

  @Test
  void eachMainTakesItsCommandsOptions() {
    assertEquals(0, DeepMnistForExperts.run("--help"));
    assertEquals(0, SklearnDigits.run("--help"));
    assertEquals(0, KerasModelZoo.run("--list"));
    assertEquals(2, DeepMnistForExperts.run("--no-such-option"));
  }
}
