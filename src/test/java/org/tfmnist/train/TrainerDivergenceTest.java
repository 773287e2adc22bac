package org.tfmnist.train;

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
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.listeners.Checkpoints;
import org.tfmnist.train.listeners.DivergenceGuard;
import org.tfmnist.train.listeners.MetricsCsv;

/**
 * A NaN loss in the second epoch stops the Trainer at that very step, with the first epoch's CSV
 * row and checkpoint kept and the checkpoint's weights finite. The NaN is real TensorFlow
 * arithmetic: after epoch 1 a NaN pixel is written into one training image of mnist-small, so the
 * batch that holds it in epoch 2 (softmax, 80 steps an epoch) has a NaN loss.
 */
@Tag("data")
public class TrainerDivergenceTest {
  @TempDir Path tmp;

  @Test
  void nanLossStopsAtItsStepKeepingEarlierRowsAndCheckpoint() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    TrainingListener poisonAfterEpoch1 =
        new TrainingListener() {
          @Override
          public void onEpochEnd(EpochMetrics metrics) {
            data.train().images()[1234 * 784 + 400] = Float.NaN;
          }
        };
    TrainingDivergedException diverged;
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph);
          MetricsCsv csv = MetricsCsv.create(tmp.resolve("metrics.csv"))) {
        session.initialize();
        List<TrainingListener> listeners =
            List.of(new DivergenceGuard(0.5f), csv, new Checkpoints(tmp), poisonAfterEpoch1);
        diverged =
            assertThrows(
                TrainingDivergedException.class,
                () ->
                    new Trainer(model, session, listeners)
                        .fit(data, new TrainingPlan(240, 100, 1f, 42, 1000, 1000), 0, 0));
      }
    }
    assertTrue(
        diverged.step() > 80 && diverged.step() <= 160, "in epoch 2: step " + diverged.step());
    assertTrue(
        diverged.getMessage().contains("the loss is NaN at step " + diverged.step() + ";"),
        diverged.getMessage());

    List<String> rows = Files.readAllLines(tmp.resolve("metrics.csv"));
    assertEquals(2, rows.size(), "header and epoch 1: " + rows);
    assertTrue(rows.get(1).startsWith("1,80,"), rows.get(1));
    Path checkpoint = Checkpoints.latest(tmp).orElseThrow();
    assertEquals("ckpt-80", checkpoint.getFileName().toString());
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        assertEquals(80, Checkpoints.restore(session, model, checkpoint));
        try (Result r = session.runner().fetch(model.trainableVariables().get(0)).run()) {
          float[] w = new float[784 * 10];
          ((TFloat32) r.get(0)).copyTo(DataBuffers.of(w, false, false));
          for (float v : w) {
            assertTrue(Float.isFinite(v), "checkpointed weights are finite");
          }
        }
      }
    }
  }
}
