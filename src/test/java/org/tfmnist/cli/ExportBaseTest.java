package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.inference.Predictor;

/**
 * {@code --export-base BASE}: each run adds the next numbered version, as serve --model_base_path
 * reads them.
 */
@Tag("data")
class ExportBaseTest {
  @TempDir Path tmp;

  @Test
  void runsExportNumberedVersions() throws Exception {
    Path base = tmp.resolve("models").resolve("mnist");
    for (int run = 1; run <= 2; run++) {
      CliRun result =
          CliRun.of(
              "beginners",
              "--steps",
              "100",
              "--data-dir",
              TestData.mnistSmallDir().toString(),
              "--run-dir",
              tmp.resolve("run" + run).toString(),
              "--export-base",
              base.toString());
      assertEquals(0, result.exitCode(), result.err());
      assertTrue(
          result.out().contains("exported version: " + base.resolve(Integer.toString(run))),
          result.out());
    }
    try (Stream<Path> entries = Files.list(base)) {
      assertEquals(
          List.of("1", "2"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(),
          "only complete version directories, no temporary ones");
    }
    try (Predictor predictor = Predictor.load(base.resolve("2"))) {
      assertEquals(10, predictor.predict(new float[784], 1)[0].probabilities().length);
    }
  }
}
