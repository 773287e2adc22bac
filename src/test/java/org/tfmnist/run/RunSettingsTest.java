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
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.runtime.Precision;

/** run.properties round trip of the precision, and what older or edited files give. */
@Tag("unit")
class RunSettingsTest {
  @TempDir Path tmp;

  private RunSettings fast(Precision precision) {
    return RunSettings.builder("experts")
        .model("cnn")
        .dataPath(tmp.resolve("data"))
        .steps(3600)
        .batch(128)
        .optimizer(OptimizerKind.ADAM)
        .learningRate(2e-3f)
        .keepProb(0.5f)
        .seed(42)
        .lrSchedule(LearningRateSchedule.COSINE)
        .augmentShift(1)
        .precision(precision)
        .build();
  }

  @Test
  void theBuilderHoldsTheDefaultsAndToBuilderKeepsEverything() {
    RunSettings plain = RunSettings.builder("beginners").model("softmax").dataPath(tmp).build();
    assertEquals(OptimizerKind.SGD, plain.optimizer());
    assertEquals(0.01f, plain.learningRate(), "the optimiser's default rate");
    assertEquals(LearningRateSchedule.CONSTANT, plain.lrSchedule());
    assertEquals(Precision.FLOAT32, plain.precision());
    assertEquals(RunVariant.NONE, plain.variant());
    assertEquals(
        0.01f,
        plain.toBuilder().optimizer(OptimizerKind.ADAM).build().learningRate(),
        "toBuilder keeps the rate the settings had");
    assertEquals(
        0.001f,
        RunSettings.builder("train")
            .model("mlp512")
            .dataPath(tmp)
            .optimizer(OptimizerKind.ADAM)
            .build()
            .learningRate());
    RunSettings fast = fast(Precision.BFLOAT16);
    assertEquals(fast, fast.toBuilder().build());
    assertEquals(
        Precision.FLOAT32, fast.toBuilder().precision(Precision.FLOAT32).build().precision());
  }

  @Test
  void aFileInOlderSpellingsStillReads() throws Exception {
    Files.writeString(
        tmp.resolve(RunDirectory.SETTINGS),
        String.join(
            "\n",
            "command=experts",
            "data-dir=" + tmp.resolve("data"),
            "steps=20000",
            "epochs=0",
            "batch=50",
            "optimizer=ADAM ",
            "learning-rate=1.0E-4",
            "keep-prob=0.5",
            "seed=0",
            "log-every=100",
            "lr-schedule=Cosine",
            ""));
    RunSettings read = RunSettings.read(tmp, "experts");
    assertEquals("cnn", read.model(), "runs from before the zoo were the tutorial's CNN");
    assertEquals(OptimizerKind.ADAM, read.optimizer());
    assertEquals(LearningRateSchedule.COSINE, read.lrSchedule());
    assertEquals(Precision.FLOAT32, read.precision());
    assertEquals(0, read.augmentShift());
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
    assertEquals(file + ": precision must be one of float32, bfloat16, got fp16", e.getMessage());
  }
}
