package org.tfmnist.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.Example;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.export.TensorSpec;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;

/**
 * The foreign SavedModels load with {@link SavedModelBundle}, declare the signatures their builders
 * promise (names, methods, dtypes, shapes with -1 for unknown dimensions), and compute what their
 * comments say.
 */
@Tag("unit")
class ForeignModelsTest {
  @TempDir Path tmp;

  private static Map<String, SignatureSpec> signatures(Path dir) {
    try (SavedModelBundle bundle =
        SavedModelBundle.loader(dir.toString()).withTags(ForeignModels.TAG).load()) {
      return SignatureSpec.readAll(bundle.metaGraphDef()).stream()
          .collect(Collectors.toMap(SignatureSpec::key, s -> s));
    }
  }

  /** "key dtype [dims]" per tensor, sorted by key, for one-line comparisons. */
  private static String describe(List<TensorSpec> tensors) {
    return tensors.stream()
        .map(t -> t.key() + " " + t.dtype() + " " + t.dims())
        .collect(Collectors.joining(", "));
  }

  private static void assertSignature(
      SignatureSpec sig, String method, String inputs, String outputs) {
    assertEquals(method, sig.methodName(), sig.key());
    assertEquals(inputs, describe(sig.inputs()), sig.key() + " inputs");
    assertEquals(outputs, describe(sig.outputs()), sig.key() + " outputs");
  }

  private static long[] dims(long... d) {
    return d;
  }

  @Test
  void kerasCnnDeclaresA4dImageAndGivesProbabilities() throws Exception {
    Path dir = ForeignModels.kerasCnn(tmp.resolve("keras_cnn/1"));
    Map<String, SignatureSpec> sigs = signatures(dir);
    assertEquals(List.of("serving_default"), List.copyOf(sigs.keySet()));
    assertSignature(
        sigs.get("serving_default"),
        ForeignModels.PREDICT_METHOD,
        "image DT_FLOAT [-1, 28, 28, 1]",
        "digit DT_INT64 [-1], scores DT_FLOAT [-1, 10]");
    assertEquals(
        "serving_default_image:0", sigs.get("serving_default").input("image").tensorName());

    float[] pixels = new float[3 * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = ((i * 37) % 101) / 100f;
    }
    Map<String, TensorValue> out =
        ForeignModels.directRun(
            dir, "serving_default", Map.of("image", ForeignModels.images(pixels, 3)));
    TensorValue scores = out.get("scores");
    assertArrayEquals(new long[] {3, 10}, scores.shape());
    long[] digits = out.get("digit").longs();
    for (int row = 0; row < 3; row++) {
      float sum = 0;
      int best = 0;
      for (int c = 0; c < 10; c++) {
        float p = scores.floats()[row * 10 + c];
        assertTrue(p > 0 && p < 1, "a probability: " + p);
        sum += p;
        best = p > scores.floats()[row * 10 + best] ? c : best;
      }
      assertEquals(1f, sum, 1e-5f);
      assertEquals(best, digits[row]);
    }
    // The weights are fixed: a second build answers the same.
    Path again = ForeignModels.kerasCnn(tmp.resolve("keras_cnn/2"));
    assertEquals(
        out,
        ForeignModels.directRun(
            again, "serving_default", Map.of("image", ForeignModels.images(pixels, 3))));
  }

  @Test
  void twoInputsAddsAndDotsAndScalesToAScalar() throws Exception {
    Path dir = ForeignModels.twoInputs(tmp.resolve("two_inputs"));
    Map<String, SignatureSpec> sigs = signatures(dir);
    assertEquals(List.of("scale", "serving_default"), sigs.keySet().stream().sorted().toList());
    assertSignature(
        sigs.get("serving_default"),
        ForeignModels.PREDICT_METHOD,
        "a DT_FLOAT [-1, 3], b DT_FLOAT [-1, 3]",
        "dot DT_FLOAT [-1], sum DT_FLOAT [-1, 3]");
    assertSignature(
        sigs.get("scale"),
        ForeignModels.PREDICT_METHOD,
        "x DT_DOUBLE [-1]",
        "scaled DT_DOUBLE [-1], total DT_DOUBLE []");

    Map<String, TensorValue> out =
        ForeignModels.directRun(
            dir,
            "serving_default",
            Map.of(
                "a", TensorValue.floats(dims(2, 3), 1, 2, 3, 4, 5, 6),
                "b", TensorValue.floats(dims(2, 3), 1, 0, -1, 0.5f, 0.5f, 2)));
    assertEquals(TensorValue.floats(dims(2, 3), 2, 2, 2, 4.5f, 5.5f, 8), out.get("sum"));
    assertEquals(TensorValue.floats(dims(2), -2, 16.5f), out.get("dot"));

    Map<String, TensorValue> scaled =
        ForeignModels.directRun(
            dir, "scale", Map.of("x", TensorValue.doubles(dims(3), 1, -2, 0.5)));
    assertEquals(TensorValue.doubles(dims(3), 2.5, -5, 1.25), scaled.get("scaled"));
    assertEquals(TensorValue.doubles(dims(), -1.25), scaled.get("total"));
  }

  @Test
  void typedCoversInt64BoolStringsAndNarrowDtypes() throws Exception {
    Path dir = ForeignModels.typed(tmp.resolve("typed"));
    Map<String, SignatureSpec> sigs = signatures(dir);
    assertEquals(
        List.of("echo", "narrow", "narrow_signed", "serving_default"),
        sigs.keySet().stream().sorted().toList());
    assertSignature(
        sigs.get("serving_default"),
        ForeignModels.PREDICT_METHOD,
        "ids DT_INT64 [-1, 4]",
        "doubled DT_INT64 [-1, 4], positive DT_BOOL [-1, 4]");
    assertSignature(
        sigs.get("echo"),
        ForeignModels.PREDICT_METHOD,
        "text DT_STRING [-1]",
        "length DT_INT32 [-1], upper_bytes DT_STRING [-1]");
    assertSignature(
        sigs.get("narrow"),
        ForeignModels.PREDICT_METHOD,
        "bf16 DT_BFLOAT16 [-1, 2], f16 DT_HALF [-1, 2], u16 DT_UINT16 [-1, 2],"
            + " u8 DT_UINT8 [-1, 2]",
        "bf16_negated DT_BFLOAT16 [-1, 2], f16_doubled DT_HALF [-1, 2],"
            + " total DT_FLOAT [-1, 2], u8_inverted DT_UINT8 [-1, 2]");
    assertSignature(
        sigs.get("narrow_signed"),
        ForeignModels.PREDICT_METHOD,
        "i16 DT_INT16 [-1, 2], i8 DT_INT8 [-1, 2]",
        "total DT_FLOAT [-1, 2]");

    Map<String, TensorValue> ints =
        ForeignModels.directRun(
            dir,
            "serving_default",
            Map.of("ids", TensorValue.longs(dims(1, 4), -3, 0, 7, 1L << 40)));
    assertEquals(TensorValue.longs(dims(1, 4), -6, 0, 14, 1L << 41), ints.get("doubled"));
    assertEquals(
        new TensorValue("DT_BOOL", dims(1, 4), new boolean[] {false, false, true, true}),
        ints.get("positive"));

    byte[] binary = {'a', (byte) 0xff, 0, 'z'};
    Map<String, TensorValue> echo =
        ForeignModels.directRun(
            dir,
            "echo",
            Map.of("text", TensorValue.strings(dims(3), bytes("Hi!"), bytes(""), binary)));
    assertEquals(new TensorValue("DT_INT32", dims(3), new int[] {3, 0, 4}), echo.get("length"));
    assertEquals(
        TensorValue.strings(
            dims(3), bytes("HI!"), bytes(""), new byte[] {'A', (byte) 0xff, 0, 'Z'}),
        echo.get("upper_bytes"));

    Map<String, TensorValue> narrow =
        ForeignModels.directRun(
            dir,
            "narrow",
            Map.of(
                "u8", new TensorValue("DT_UINT8", dims(1, 2), new int[] {200, 3}),
                "u16", new TensorValue("DT_UINT16", dims(1, 2), new int[] {60000, 1}),
                "f16", new TensorValue("DT_HALF", dims(1, 2), new float[] {0.5f, -1.25f}),
                "bf16", new TensorValue("DT_BFLOAT16", dims(1, 2), new float[] {2f, 0.25f})));
    assertEquals(TensorValue.floats(dims(1, 2), 60202.5f, 3f), narrow.get("total"));
    assertEquals(
        new TensorValue("DT_HALF", dims(1, 2), new float[] {1f, -2.5f}), narrow.get("f16_doubled"));
    assertEquals(
        new TensorValue("DT_BFLOAT16", dims(1, 2), new float[] {-2f, -0.25f}),
        narrow.get("bf16_negated"));
    assertEquals(
        new TensorValue("DT_UINT8", dims(1, 2), new int[] {55, 252}), narrow.get("u8_inverted"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TensorValue("DT_INT8", dims(1, 2), new int[] {1, 2}).toTensor());
  }

  @Test
  void classifierParsesExamplesForClassifyRegressAndPredict() throws Exception {
    Path dir = ForeignModels.classifier(tmp.resolve("classifier"));
    Map<String, SignatureSpec> sigs = signatures(dir);
    assertEquals(
        List.of("classification", "predict", "regression", "serving_default"),
        sigs.keySet().stream().sorted().toList());
    for (String key : List.of("serving_default", "classification")) {
      assertSignature(
          sigs.get(key),
          ForeignModels.CLASSIFY_METHOD,
          "inputs DT_STRING [-1]",
          "classes DT_STRING [-1, 2], scores DT_FLOAT [-1, 2]");
    }
    assertSignature(
        sigs.get("regression"),
        ForeignModels.REGRESS_METHOD,
        "inputs DT_STRING [-1]",
        "outputs DT_FLOAT [-1]");
    assertSignature(
        sigs.get("predict"),
        ForeignModels.PREDICT_METHOD,
        "examples DT_STRING [-1]",
        "logits DT_FLOAT [-1, 2], probabilities DT_FLOAT [-1, 2]");

    Example parsed = Example.parseFrom(ForeignModels.example(1f, 2f));
    assertEquals(
        List.of(1f, 2f),
        parsed.getFeatures().getFeatureMap().get("x").getFloatList().getValueList());

    TensorValue inputs = ForeignModels.examples(new float[] {1, 2}, new float[] {3, -1});
    Map<String, TensorValue> classified =
        ForeignModels.directRun(dir, "serving_default", Map.of("inputs", inputs));
    assertEquals(
        TensorValue.strings(dims(2, 2), bytes("neg"), bytes("pos"), bytes("neg"), bytes("pos")),
        classified.get("classes"));
    // logits = x [[1,-1],[-0.5,0.5]] + [0.1, 0]: (0.1, 0) and (3.6, -3.5)
    float[] scores = classified.get("scores").floats();
    assertEquals(softmax0(0.1f, 0f), scores[0], 1e-6f);
    assertEquals(1f - softmax0(0.1f, 0f), scores[1], 1e-6f);
    assertEquals(softmax0(3.6f, -3.5f), scores[2], 1e-6f);
    assertEquals(
        TensorValue.floats(dims(2), 3f, 2f),
        ForeignModels.directRun(dir, "regression", Map.of("inputs", inputs)).get("outputs"));
    assertEquals(
        TensorValue.floats(dims(2, 2), 0.1f, 0f, 3.6f, -3.5f),
        ForeignModels.directRun(dir, "predict", Map.of("examples", inputs)).get("logits"));
  }

  @Test
  void mnistClassifiersTakeEachInputShapeAndNameTheirOutput() throws Exception {
    float[] image = new float[784];
    image[300] = 1f;
    image[301] = 0.5f;
    long[][] shapes = {{-1, 784}, {-1, 28, 28}, {-1, 28, 28, 1}};
    TensorValue logits = null;
    for (int i = 0; i < shapes.length; i++) {
      Path dir =
          ForeignModels.mnistClassifier(
              tmp.resolve("mnist" + i), shapes[i], "pixels_in", "dense_1", i != 1);
      SignatureSpec sig = signatures(dir).get("serving_default");
      assertEquals(
          "pixels_in DT_FLOAT " + java.util.Arrays.stream(shapes[i]).boxed().toList(),
          describe(sig.inputs()));
      assertEquals("dense_1 DT_FLOAT [-1, 10], digit DT_INT64 [-1]", describe(sig.outputs()));
      long[] feed = shapes[i].clone();
      feed[0] = 1;
      TensorValue out =
          ForeignModels.directRun(
                  dir, "serving_default", Map.of("pixels_in", TensorValue.floats(feed, image)))
              .get("dense_1");
      if (i == 0) {
        logits = out;
      } else {
        float[] expected = i == 1 ? softmax(logits.floats()) : logits.floats();
        assertArrayEquals(expected, out.floats(), 1e-6f, "same weights whatever the input shape");
      }
    }
  }

  @Test
  void theUntrainedTutorialContractLoadsInThePredictor() throws Exception {
    Path dir = ForeignModels.tutorialContract(tmp.resolve("contract"));
    byte[] pixels = new byte[2 * 784];
    float[] images = new float[2 * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i * 7) % 256);
      images[i] = ((i * 7) % 256) / 255f;
    }
    try (Predictor predictor = Predictor.load(dir)) {
      Prediction[] fromImages = predictor.predict(images, 2);
      Prediction[] fromPixels = predictor.predictPixels(pixels, 2);
      for (int i = 0; i < 2; i++) {
        assertEquals(fromImages[i].digit(), fromPixels[i].digit());
        assertArrayEquals(fromImages[i].probabilities(), fromPixels[i].probabilities(), 1e-6f);
      }
    }
  }

  private static float softmax0(float a, float b) {
    return (float) (1 / (1 + Math.exp(b - a)));
  }

  private static float[] softmax(float[] z) {
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v);
    }
    float[] p = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = (float) (Math.exp(z[i]) / sum);
    }
    return p;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
