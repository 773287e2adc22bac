package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;

/**
 * A SavedModel loaded with bfloat16 mixed precision ({@code serve --precision bfloat16}) really
 * computes in bfloat16 (its probabilities differ from float32's), yet classifies the real test
 * images as float32 does: the same class for at least 99% of them, accuracy within a point.
 */
@Tag("data")
class PredictorPrecisionTest {
  @TempDir Path tmp;

  @Test
  void bfloat16ServesTheClassesFloat32Does() throws Exception {
    assumeTrue(
        Precision.cpuHasBfloat16(), "this CPU has no native bfloat16 (avx512_bf16 or amx_bf16)");
    Path model = TrainedModels.experts(PredictPhotosTest.STEPS, tmp.resolve("m")).savedModel();
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    Prediction[] f32;
    Prediction[] bf16;
    try (Predictor p = Predictor.load(model, SessionOptions.standard())) {
      f32 = p.predict(test.images(), test.size());
    }
    try (Predictor p = Predictor.load(model, SessionOptions.standard().withBfloat16(true))) {
      bf16 = p.predict(test.images(), test.size());
    }
    int same = 0;
    int rightF32 = 0;
    int rightBf16 = 0;
    double maxDiff = 0;
    for (int i = 0; i < test.size(); i++) {
      same += f32[i].digit() == bf16[i].digit() ? 1 : 0;
      rightF32 += f32[i].digit() == test.labels()[i] ? 1 : 0;
      rightBf16 += bf16[i].digit() == test.labels()[i] ? 1 : 0;
      for (int k = 0; k < 10; k++) {
        maxDiff =
            Math.max(maxDiff, Math.abs(f32[i].probabilities()[k] - bf16[i].probabilities()[k]));
      }
    }
    String figures =
        String.format(
            "same class %d/%d, accuracy float32 %d, bfloat16 %d, largest probability difference %g",
            same, test.size(), rightF32, rightBf16, maxDiff);
    assertTrue(maxDiff > 1e-4, "bfloat16 was not used: " + figures);
    assertTrue(same >= 0.99 * test.size(), figures);
    assertTrue(Math.abs(rightF32 - rightBf16) <= 0.01 * test.size(), figures);
  }
}
