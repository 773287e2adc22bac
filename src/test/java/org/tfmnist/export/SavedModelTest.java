package org.tfmnist.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.MnistShape;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/** Export, reload and predict: the SavedModel gives what the training session gave. */
@Tag("data")
class SavedModelTest {
  static final int N = 300;
  @TempDir static Path tmp;
  static Path savedModel;
  static Dataset test;
  static float[][] sessionProbabilities;

  @BeforeAll
  static void trainAndExport() throws Exception {
    DataSplits splits = MnistLoader.load(TestData.mnistSmallDir());
    test = splits.test();
    savedModel = tmp.resolve("saved_model");
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        new Trainer(model, session, List.of())
            .fit(splits, new TrainingPlan(300, 100, 1f, 42, 100_000, 1000), 0, 0);
        float[] images = Arrays.copyOf(test.images(), N * MnistShape.PIXELS);
        try (TFloat32 x =
                TFloat32.tensorOf(
                    Shape.of(N, MnistShape.PIXELS), DataBuffers.of(images, true, false));
            Result r =
                session.runner().feed(model.images(), x).fetch(model.probabilities()).run()) {
          TFloat32 p = (TFloat32) r.get(0);
          sessionProbabilities = new float[N][10];
          for (int i = 0; i < N; i++) {
            for (int c = 0; c < 10; c++) {
              sessionProbabilities[i][c] = p.getFloat(i, c);
            }
          }
        }
        SavedModelExporter.export(session, model, savedModel);
      }
    }
  }

  @Test
  void reloadedModelGivesTheTrainingSessionsProbabilities() throws Exception {
    try (Predictor predictor = Predictor.load(savedModel)) {
      Prediction[] predictions = predictor.predict(test.images(), N);
      for (int i = 0; i < N; i++) {
        assertArrayEquals(
            sessionProbabilities[i], predictions[i].probabilities(), 0f, "image " + i);
        assertEquals(argmax(sessionProbabilities[i]), predictions[i].digit(), "image " + i);
      }
    }
    // and through a plain bundle, without Predictor (same batch: the kernels' rounding depends on
    // it)
    float[] images = Arrays.copyOf(test.images(), N * MnistShape.PIXELS);
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
        TFloat32 x =
            TFloat32.tensorOf(Shape.of(N, MnistShape.PIXELS), DataBuffers.of(images, true, false));
        Result r = bundle.function("serving_default").call(Map.of("images", x))) {
      TFloat32 p = (TFloat32) r.get("probabilities").orElseThrow();
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < 10; c++) {
          assertEquals(sessionProbabilities[i][c], p.getFloat(i, c), 0f);
        }
      }
    }
  }

  @Test
  void signaturesReadBackFromTheMetaGraphDef() throws Exception {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve")) {
      Map<String, SignatureDef> defs = bundle.metaGraphDef().getSignatureDefMap();
      assertTrue(defs.containsKey("serving_default"), defs.keySet().toString());
      assertTrue(defs.containsKey("predict_pixels"), defs.keySet().toString());
      SignatureSpec images = SignatureSpec.of("serving_default", defs.get("serving_default"));
      assertEquals("tensorflow/serving/predict", images.methodName());
      assertEquals(
          new TensorSpec("images", "x:0", "DT_FLOAT", List.of(-1L, 784L)), images.input("images"));
      assertEquals("DT_FLOAT", images.output("probabilities").dtype());
      assertEquals(List.of(-1L, 10L), images.output("probabilities").dims());
      assertEquals("DT_INT64", images.output("classes").dtype());
      assertEquals(List.of(-1L), images.output("classes").dims());
      SignatureSpec pixels = SignatureSpec.of("predict_pixels", defs.get("predict_pixels"));
      assertEquals("DT_UINT8", pixels.input("pixels").dtype());
      assertEquals(List.of(-1L, 28L, 28L), pixels.input("pixels").dims());
      assertEquals(List.of(-1L, 10L), pixels.output("probabilities").dims());
    }
    try (Predictor predictor = Predictor.load(savedModel)) {
      assertEquals(
          List.of("predict_pixels", "serving_default"),
          predictor.signatures().stream().map(SignatureSpec::key).toList());
    }
  }

  @Test
  void predictPixelsMatchesServingDefaultOnTheSameImages() throws Exception {
    byte[] pixels = new byte[N * MnistShape.PIXELS];
    float[] quantised = new float[N * MnistShape.PIXELS];
    for (int i = 0; i < pixels.length; i++) {
      int v = Math.round(test.images()[i] * 255f);
      pixels[i] = (byte) v;
      quantised[i] = v / 255f;
    }
    try (Predictor predictor = Predictor.load(savedModel)) {
      Prediction[] fromFloats = predictor.predict(quantised, N);
      Prediction[] fromPixels = predictor.predictPixels(pixels, N);
      for (int i = 0; i < N; i++) {
        assertEquals(fromFloats[i].digit(), fromPixels[i].digit(), "image " + i);
        assertArrayEquals(
            fromFloats[i].probabilities(), fromPixels[i].probabilities(), 1e-6f, "image " + i);
      }
    }
  }

  @Test
  void exportedDirectoriesAreReadableByOthers() throws Exception {
    assertEquals(
        "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(savedModel)));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(savedModel.resolve("variables"))));
  }

  @Test
  void failedExportLeavesNoDirectoryBehind(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    TfmnistException e =
        assertThrows(
            TfmnistException.class,
            () -> {
              try (Graph graph = new Graph()) {
                ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
                try (Session session = new Session(graph)) {
                  session.initialize();
                  SavedModelExporter.export(session, model, file.resolve("saved_model"));
                }
              }
            });
    assertTrue(e.getMessage().contains("not-a-dir"), e.getMessage());
    // a failure after the temporary directory exists: the session is already closed
    Path target = dir.resolve("models").resolve("saved_model");
    assertThrows(
        TfmnistException.class,
        () -> {
          try (Graph graph = new Graph()) {
            ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
            Session session = new Session(graph);
            session.initialize();
            session.close();
            SavedModelExporter.export(session, model, target);
          }
        });
    assertFalse(Files.exists(target));
    try (Stream<Path> left = Files.list(target.getParent())) {
      assertEquals(List.of(), left.toList());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of(file.getFileName(), target.getParent().getFileName()).stream().sorted().toList(),
          left.map(Path::getFileName).sorted().toList());
    }
  }

  @Test
  void loadingSomethingElseIsAOneLineError(@TempDir Path dir) throws Exception {
    TfmnistException missing =
        assertThrows(TfmnistException.class, () -> Predictor.load(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    TfmnistException empty = assertThrows(TfmnistException.class, () -> Predictor.load(dir));
    assertTrue(empty.getMessage().startsWith(dir + ": not a SavedModel"), empty.getMessage());
    Files.writeString(dir.resolve("saved_model.pb"), "garbage");
    TfmnistException garbage = assertThrows(TfmnistException.class, () -> Predictor.load(dir));
    assertTrue(garbage.getMessage().startsWith(dir.toString()), garbage.getMessage());
    assertFalse(garbage.getMessage().contains("\n"), garbage.getMessage());
  }

  static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
