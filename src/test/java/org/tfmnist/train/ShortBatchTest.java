package org.tfmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;

/**
 * Batch sizes that do not divide the data: the last batch of an epoch, and of an evaluation, is
 * short.
 */
@Tag("data")
class ShortBatchTest {
  @Test
  void epochsEndWithAShortBatchAndEvaluationCountsEveryImageOnce() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    List<EpochMetrics> rows = new ArrayList<>();
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        // 8,000 / 300: 26 full batches and one of 200 an epoch, 27 steps.
        TrainingPlan plan = new TrainingPlan(54, 300, 1f, 3, 1000, 1000);
        TrainingListener recorder =
            new TrainingListener() {
              @Override
              public void onEpochEnd(EpochMetrics metrics) {
                rows.add(metrics);
              }
            };
        TrainingSummary summary =
            new Trainer(model, session, List.of(recorder)).fit(data, plan, 0, 0);
        assertEquals(List.of(27L, 54L), rows.stream().map(EpochMetrics::step).toList());
        assertTrue(summary.test().accuracy() > 0.85, "accuracy " + summary.test().accuracy());

        Evaluation whole;
        Evaluation inThrees;
        try (Evaluator big = new Evaluator(session, model, 2000);
            Evaluator small = new Evaluator(session, model, 300)) {
          whole = big.evaluate(data.test());
          inThrees = small.evaluate(data.test()); // 6 batches of 300 and one of 200
        }
        assertEquals(2000, inThrees.count());
        assertEquals(whole.correct(), inThrees.correct());
        assertEquals(whole.loss(), inThrees.loss(), 1e-5);
        assertEquals(summary.test().correct(), whole.correct());
      }
    }
  }
}
