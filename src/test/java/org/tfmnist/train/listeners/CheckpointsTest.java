package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

@Tag("data")
class CheckpointsTest {
  @TempDir Path tmp;

  @Test
  void restoresWeightsAndStepAndKeepsOnlyTheLatest() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    float[] trainedW;
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        Checkpoints checkpoints = new Checkpoints(tmp);
        TrainingPlan plan = new TrainingPlan(160, 100, 1f, 3, 1000, 1000);
        new Trainer(model, session, List.of(checkpoints)).fit(data, plan, 0, 0);
        trainedW = weights(session, model);
      }
    }
    try (var files = Files.list(tmp.resolve("checkpoint"))) {
      assertEquals(
          List.of("ckpt-160.data-00000-of-00001", "ckpt-160.index", "latest"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Path latest = Checkpoints.latest(tmp).orElseThrow();
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        assertEquals(160L, Checkpoints.restore(session, model, latest));
        assertArrayEquals(trainedW, weights(session, model));
      }
    }
  }

  @Test
  void failingToDeleteOldCheckpointsIsAWarningNotTheEndOfTraining() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    java.io.ByteArrayOutputStream warned = new java.io.ByteArrayOutputStream();
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        Checkpoints checkpoints =
            new Checkpoints(
                tmp,
                new java.io.PrintStream(warned, true, java.nio.charset.StandardCharsets.UTF_8),
                keep -> {
                  throw new java.io.IOException("Read-only file system");
                });
        TrainingPlan plan = new TrainingPlan(160, 100, 1f, 3, 1000, 1000); // two epochs
        new Trainer(model, session, List.of(checkpoints)).fit(data, plan, 0, 0);
      }
    }
    assertEquals(tmp.resolve("checkpoint/ckpt-160"), Checkpoints.latest(tmp).orElseThrow());
    assertTrue(Files.exists(tmp.resolve("checkpoint/ckpt-80.index")), "nothing was deleted");
    String text = warned.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "checkpoint ckpt-160 is saved, but older checkpoints could not be deleted:"
                + " Read-only file system"),
        text);
  }

  @Test
  void aPointerToAMissingCheckpointIsAClearError() throws Exception {
    Files.createDirectories(tmp.resolve("checkpoint"));
    Files.writeString(tmp.resolve("checkpoint/latest"), "ckpt-999\n");
    TfmnistException e = assertThrows(TfmnistException.class, () -> Checkpoints.latest(tmp));
    assertTrue(e.getMessage().contains("ckpt-999"), e.getMessage());
  }

  @Test
  void noCheckpointYetIsEmpty() throws Exception {
    assertTrue(Checkpoints.latest(tmp).isEmpty());
  }

  private static float[] weights(Session session, ModelGraph model) {
    try (Result r = session.runner().fetch(model.trainableVariables().get(0)).run()) {
      float[] values = new float[784 * 10];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }
}
