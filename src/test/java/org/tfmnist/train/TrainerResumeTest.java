package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * Resuming from a checkpoint continues exactly where the run stopped: the same batches in the same
 * order, so softmax regression (no dropout, deterministic kernels) ends with the weights and epoch
 * figures of an uninterrupted run.
 */
@Tag("data")
class TrainerResumeTest {
  private static final TrainingPlan PLAN = new TrainingPlan(240, 100, 1f, 5, 1000, 1000);

  @TempDir Path tmp;

  @Test
  void resumedRunEndsWithTheUninterruptedRunsWeightsAndFigures() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    Recorder straight = new Recorder();
    float[] straightW = train(data, PLAN, straight, null);

    TrainingPlan firstTwoEpochs = new TrainingPlan(160, 100, 1f, 5, 1000, 1000);
    Recorder interrupted = new Recorder();
    train(data, firstTwoEpochs, interrupted, new Checkpoints(tmp));
    Recorder resumed = new Recorder();
    float[] resumedW;
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        long step = Checkpoints.restore(session, model, Checkpoints.latest(tmp).orElseThrow());
        assertEquals(160, step);
        new Trainer(model, session, List.of(resumed)).fit(data, PLAN, step, 0);
        resumedW = weights(session, model);
      }
    }
    assertArrayEquals(straightW, resumedW, 1e-6f);
    List<EpochMetrics> joined = new ArrayList<>(interrupted.rows);
    joined.addAll(resumed.rows);
    assertEquals(3, joined.size());
    for (int i = 0; i < 3; i++) {
      EpochMetrics a = straight.rows.get(i);
      EpochMetrics b = joined.get(i);
      assertEquals(a.epoch(), b.epoch());
      assertEquals(a.step(), b.step());
      assertEquals(a.loss(), b.loss(), 1e-6);
      assertEquals(a.accuracy(), b.accuracy(), 1e-9);
      assertEquals(a.testAccuracy(), b.testAccuracy(), 1e-9);
    }
  }

  private static float[] train(
      DataSplits data, TrainingPlan plan, Recorder recorder, Checkpoints checkpoints)
      throws Exception {
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        List<TrainingListener> listeners = new ArrayList<>(List.of(recorder));
        if (checkpoints != null) {
          listeners.add(checkpoints);
        }
        new Trainer(model, session, listeners).fit(data, plan, 0, 0);
        return weights(session, model);
      }
    }
  }

  private static float[] weights(Session session, ModelGraph model) {
    try (Result r = session.runner().fetch(model.trainableVariables().get(0)).run()) {
      float[] values = new float[784 * 10];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  /** Keeps every epoch row. */
  private static final class Recorder implements TrainingListener {
    final List<EpochMetrics> rows = new ArrayList<>();

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
      rows.add(metrics);
    }
  }
}
