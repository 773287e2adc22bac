package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;

@Tag("data")
class SoftmaxRegressionTest {
  @Test
  void graphReadsLikeTheTutorial() {
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      for (String name :
          List.of(
              "x",
              "y_",
              "W",
              "b",
              "logits",
              "probabilities",
              "classes",
              "cross_entropy",
              "accuracy",
              "keep_prob",
              "global_step")) {
        assertNotNull(graph.operation(name), "op " + name);
      }
      assertEquals(
          List.of(784L, 10L),
          List.of(
              model.trainableVariables().get(0).shape().asArray()[0],
              model.trainableVariables().get(0).shape().asArray()[1]));
      assertEquals(-1, model.images().shape().get(0));
      assertEquals(784, model.images().shape().get(1));
    }
  }

  @Test
  void lossDecreasesOverTrainingSteps() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    List<Double> losses = new ArrayList<>();
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        ModelSteps steps = new ModelSteps(session, model, data.train(), 100);
        for (int i = 0; i < 60; i++) {
          losses.add(steps.trainStep(i));
        }
      }
    }
    double first = losses.get(0);
    double lastTen = losses.subList(50, 60).stream().mapToDouble(d -> d).average().orElseThrow();
    assertEquals(Math.log(10), first, 1e-4, "zero weights give uniform probabilities: loss ln 10");
    assertTrue(
        lastTen < 0.6, "loss after 50 steps should fall well below ln 10 = 2.30, was " + lastTen);
  }
}
