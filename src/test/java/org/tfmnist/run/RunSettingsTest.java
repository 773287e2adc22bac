package org.tfmnist.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.LearningRate;
import org.tfmnist.model.Optimizers;
import org.tfmnist.runtime.Precision;

/** run.properties round trip of the precision, and what older or edited files give. */
@Tag("unit")
class RunSettingsTest {
  @TempDir Path tmp;

  private RunSettings fast(String precision) {
    return new RunSettings(
        "experts",
        "cnn",
        "mnist",
        tmp.resolve("data"),
        3600,
        0,
        128,
        Optimizers.ADAM,
        2e-3f,
        0.5f,
        42,
        100,
        0,
        false,
        LearningRate.COSINE,
        1,
        precision,
        RunVariant.NONE);
  }

  @Test
  void bfloat16IsWrittenReadBackAndGivesABfloat16Session() throws Exception {
    fast(Precision.BFLOAT16).write(tmp, Map.of());
    RunSettings read = RunSettings.read(tmp, "experts");
    assertEquals(Precision.BFLOAT16, read.precision());
    assertTrue(read.bfloat16());
    assertTrue(
        read.sessionOptions().bfloat16(), "a resumed run trains in the precision it started in");
    assertEquals(fast(Precision.BFLOAT16), read);
  }

  @Test
  void aRunRecordedBeforePrecisionExistedIsFloat32() throws Exception {
    fast(Precision.FLOAT32).write(tmp, Map.of());
    Path file = tmp.resolve(RunDirectory.SETTINGS);
    String without =
        Files.readAllLines(file).stream()
            .filter(l -> !l.startsWith("precision="))
            .reduce("", (a, l) -> a + l + "\n");
    Files.writeString(file, without);
    RunSettings read = RunSettings.read(tmp, "experts");
    assertEquals(Precision.FLOAT32, read.precision());
    assertFalse(read.sessionOptions().bfloat16());
  }

  @Test
  void anUnknownPrecisionIsRefusedNamingTheFile() throws Exception {
    fast(Precision.FLOAT32).write(tmp, Map.of());
    Path file = tmp.resolve(RunDirectory.SETTINGS);
    Files.writeString(file, Files.readString(file).replace("precision=float32", "precision=fp16"));
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> RunSettings.read(tmp, "experts"));
    assertEquals(file + ": --precision must be one of float32, bfloat16, got fp16", e.getMessage());
  }
}
