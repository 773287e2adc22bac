package org.tfmnist.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;

/** The write-up variants in run.properties (what --resume rebuilds) and TF's validation head. */
@Tag("unit")
class RunVariantTest {
  @TempDir Path tmp;

  private RunSettings beginners(RunVariant variant) {
    return RunSettings.builder("beginners")
        .model("softmax")
        .dataPath(tmp.resolve("data"))
        .steps(1000)
        .learningRate(0.01f)
        .seed(42)
        .variant(variant)
        .build();
  }

  @Test
  void variantIsWrittenAndReadBack() throws Exception {
    RunVariant variant = RunVariant.of("sum", "constant", 5000);
    beginners(variant).write(tmp, Map.of());
    String file = Files.readString(tmp.resolve(RunDirectory.SETTINGS));
    assertTrue(file.contains("loss=sum") && file.contains("validation-size=5000"), file);
    assertEquals(variant, RunSettings.read(tmp, "beginners").variant());
  }

  @Test
  void runsRecordedBeforeTheVariantHadTheDefaults() throws Exception {
    beginners(RunVariant.NONE).write(tmp, Map.of());
    Path file = tmp.resolve(RunDirectory.SETTINGS);
    String without =
        Files.readString(file).replaceAll("(?m)^(loss|bias|validation-size)=.*\\R", "");
    Files.writeString(file, without);
    assertEquals(RunVariant.NONE, RunSettings.read(tmp, "beginners").variant());

    Files.writeString(file, without + "loss=avg\n");
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> RunSettings.read(tmp, "beginners"));
    assertTrue(e.getMessage().startsWith(file + ": loss must be one of mean, sum"), e.getMessage());
  }

  @Test
  void validationSizeHoldsOutTheFirstImages() {
    float[] pixels = new float[10];
    int[] labels = new int[10];
    for (int i = 0; i < 10; i++) {
      pixels[i] = i;
      labels[i] = i;
    }
    Dataset train = new Dataset(pixels, labels, 1);
    DataSplits split =
        RunVariant.of("mean", "trained", 3).prepare(new DataSplits(train, train.slice(0, 1)), 0);
    assertArrayEquals(new int[] {0, 1, 2}, split.validation().labels(), "input_data: the first N");
    assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9}, split.train().labels());
    assertEquals(
        "give --validation-size or --validation-split, not both",
        RunVariant.of("mean", "trained", 3).problem(0, 0.1));
    assertNull(RunVariant.of("mean", "trained", 3).problem(0, 0));
    assertTrue(
        RunVariant.of("mean", "trained", 10)
            .tooLargeFor(new DataSplits(train, train))
            .startsWith("--validation-size 10 leaves no training images"));
  }
}
