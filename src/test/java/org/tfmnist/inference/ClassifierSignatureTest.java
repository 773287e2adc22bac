package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.export.TensorSpec;

/** How {@code evaluate} and {@code predict} pick a classifier's input and output, and read it. */
@Tag("unit")
class ClassifierSignatureTest {
  private static final Path DIR = Path.of("m");

  private static TensorSpec t(String key, String dtype, Long... dims) {
    return new TensorSpec(key, key + ":0", dtype, List.of(dims));
  }

  private static SignatureSpec sig(String key, List<TensorSpec> in, List<TensorSpec> out) {
    return new SignatureSpec(key, "tensorflow/serving/predict", in, out);
  }

  private static final TensorSpec IMAGE = t("image", "DT_FLOAT", -1L, 28L, 28L, 1L);

  private static String error(List<SignatureSpec> sigs, String signature, String output) {
    return assertThrows(
            TfmnistException.class, () -> ClassifierSignature.resolve(DIR, sigs, signature, output))
        .getMessage();
  }

  @Test
  void theOnlyFloatTenWideOutputIsTakenWhateverItsName() throws Exception {
    ClassifierSignature c =
        ClassifierSignature.resolve(
            DIR,
            List.of(
                sig(
                    "serving_default",
                    List.of(IMAGE),
                    List.of(t("digit", "DT_INT64", -1L), t("dense_1", "DT_FLOAT", -1L, 10L)))),
            null,
            null);
    assertEquals("dense_1", c.output().key());
    assertFalse(c.logitsByName());
    assertArrayEquals(new long[] {5, 28, 28, 1}, c.feedShape(5));
    assertEquals("serving_default: image [-1, 28, 28, 1] -> dense_1 [-1, 10]", c.summary());
  }

  @Test
  void amongSeveralOutputsTheNameDecidesAndOutputOverrides() throws Exception {
    List<SignatureSpec> sigs =
        List.of(
            sig(
                "serving_default",
                List.of(t("x", "DT_FLOAT", -1L, 784L)),
                List.of(
                    t("logits", "DT_FLOAT", -1L, 10L), t("probabilities", "DT_FLOAT", -1L, 10L))),
            sig(
                "raw",
                List.of(t("x", "DT_FLOAT", -1L, 28L, 28L)),
                List.of(t("Logits", "DT_FLOAT", -1L, 10L), t("embedding", "DT_FLOAT", -1L, 10L))));
    assertEquals(
        "probabilities", ClassifierSignature.resolve(DIR, sigs, null, null).output().key());
    ClassifierSignature logits = ClassifierSignature.resolve(DIR, sigs, null, "logits");
    assertEquals("logits", logits.output().key());
    assertTrue(logits.logitsByName());
    ClassifierSignature raw = ClassifierSignature.resolve(DIR, sigs, "raw", null);
    assertEquals("Logits", raw.output().key());
    assertTrue(raw.logitsByName());
    assertEquals(
        "embedding", ClassifierSignature.resolve(DIR, sigs, "raw", "embedding").output().key());
  }

  @Test
  void noChoiceOrTooManyIsAOneLineErrorNamingTheFlag() {
    List<TensorSpec> two = List.of(t("a", "DT_FLOAT", -1L, 10L), t("b", "DT_FLOAT", -1L, 10L));
    List<SignatureSpec> sigs =
        List.of(
            sig("serving_default", List.of(IMAGE), two),
            sig("wide", List.of(t("x", "DT_FLOAT", -1L, 32L, 32L, 3L)), two),
            sig("typed", List.of(t("x", "DT_INT64", -1L, 784L)), two),
            sig("pair", List.of(IMAGE, IMAGE), two));
    assertEquals(
        "m: signature 'serving_default' has several DT_FLOAT [-1, 10] outputs (a DT_FLOAT [-1, 10],"
            + " b DT_FLOAT [-1, 10]); choose one with --output",
        error(sigs, null, null));
    assertEquals(
        "m: SavedModel has no signature 'nope' (it has: serving_default, wide, typed, pair);"
            + " choose one with --signature",
        error(sigs, "nope", "a"));
    assertEquals(
        "m: signature 'serving_default' has no output 'c' (--output; it has: a DT_FLOAT [-1, 10],"
            + " b DT_FLOAT [-1, 10])",
        error(sigs, null, "c"));
    assertTrue(error(sigs, "wide", "a").contains("input x DT_FLOAT [-1, 32, 32, 3]; expected"));
    assertTrue(error(sigs, "typed", "a").contains("input x DT_INT64 [-1, 784]; expected"));
    assertTrue(error(sigs, "pair", "a").contains("has 2 inputs"));
    List<SignatureSpec> noScores =
        List.of(sig("serving_default", List.of(IMAGE), List.of(t("d", "DT_INT64", -1L))));
    assertEquals(
        "m: signature 'serving_default' has no DT_FLOAT [-1, 10] output (it has: d DT_INT64 [-1])",
        error(noScores, null, null));
    assertEquals(
        "m: --output d is d DT_INT64 [-1]; expected DT_FLOAT [-1, 10]", error(noScores, null, "d"));
  }

  @Test
  void rowsThatAreNotDistributionsAreLogits() {
    float[] probabilities = {
      0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 0, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f
    };
    assertTrue(ClassScores.allDistributions(probabilities));
    float[] secondRowOff = probabilities.clone();
    secondRowOff[19] = 0.2f; // sums to 1.1
    assertFalse(ClassScores.allDistributions(secondRowOff));
    float[] negative = probabilities.clone();
    negative[0] = -0.25f;
    negative[1] = 1.25f; // sums to 1, but not probabilities
    assertFalse(ClassScores.allDistributions(negative));
    float[] p = ClassScores.softmax(new float[] {1000f, 1000f, 0, 0, 0, 0, 0, 0, 0, 0});
    assertEquals(0.5f, p[0], 1e-6f);
    assertEquals(0f, p[2], 1e-6f);
    assertEquals(1, ClassScores.argmax(new float[] {0.1f, 0.7f, 0.7f, 0.2f}));
  }
}
