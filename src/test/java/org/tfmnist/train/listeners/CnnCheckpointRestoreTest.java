package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tfmnist.TestData;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/**
 * A resumed CNN run starts from exactly the state it saved: every variable of the graph (the
 * weights, Adam's m and v slots, beta1_power and beta2_power, the global step) restored into a
 * fresh session equals, bit for bit, what the training session held when it saved.
 */
@Tag("data")
class CnnCheckpointRestoreTest {
  @TempDir Path run;

  @Test
  void restoresWeightsAdamSlotsBetaPowersAndGlobalStepExactly() throws Exception {
    Map<String, float[]> saved;
    try (Graph graph = new Graph()) {
      ModelGraph model = new DeepMnistCnn(1e-4f, 42).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        Checkpoints checkpoints = new Checkpoints(run);
        new Trainer(model, session, List.of(checkpoints))
            .fit(
                MnistLoader.load(TestData.mnistSmallDir()),
                new TrainingPlan(5, 50, 0.5f, 42, 1000, 1000),
                0,
                0);
        saved = variables(graph, session);
      }
    }
    assertEquals(
        27,
        saved.size(),
        "8 weights and biases, 16 Adam slots, 2 beta powers, the step: " + saved.keySet());
    assertTrue(
        saved
            .keySet()
            .containsAll(
                List.of(
                    "global_step",
                    "train/beta1_power",
                    "train/beta2_power",
                    "W_conv1",
                    "train/W_conv1_m",
                    "train/W_conv1_v",
                    "train/b_fc2_v")),
        saved.keySet().toString());
    assertEquals(5f, saved.get("global_step")[0]);
    assertEquals(
        (float) Math.pow(0.9, 6),
        saved.get("train/beta1_power")[0],
        1e-6f,
        "starts at beta1, times beta1 after each of the 5 steps (as TF's AdamOptimizer)");
    assertNotEquals(0f, saved.get("train/W_conv1_v")[0], "the slots hold training state");

    try (Graph graph = new Graph()) {
      ModelGraph model = new DeepMnistCnn(1e-4f, 42).build(graph);
      try (Session session = new Session(graph)) {
        assertEquals(
            5L, Checkpoints.restore(session, model, Checkpoints.latest(run).orElseThrow()));
        Map<String, float[]> restored = variables(graph, session);
        assertEquals(saved.keySet(), restored.keySet());
        for (String name : saved.keySet()) {
          assertArrayEquals(saved.get(name), restored.get(name), 0f, name);
        }
      }
    }
  }

  /**
   * Every variable op of the graph by name, its value as floats (the int64 global step as one
   * float).
   */
  private static Map<String, float[]> variables(Graph graph, Session session) {
    Map<String, float[]> values = new TreeMap<>();
    for (Iterator<GraphOperation> ops = graph.operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      if (!op.type().startsWith("Variable")) {
        continue;
      }
      try (Result r = session.runner().fetch(op.name()).run()) {
        Tensor t = r.get(0);
        if (t instanceof TInt64 step) {
          values.put(op.name(), new float[] {step.getLong()});
        } else {
          float[] v = new float[(int) t.shape().size()];
          ((TFloat32) t).copyTo(DataBuffers.of(v, false, false));
          values.put(op.name(), v);
        }
      }
    }
    return values;
  }
}
