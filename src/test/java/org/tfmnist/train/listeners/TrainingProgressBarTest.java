package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingPlan;

/**
 * The terminal progress bar over a real two-epoch softmax run: ConsoleProgress's lines are printed
 * whole in place of the bar, and the bar's last state shows every step done with the last epoch's
 * loss, its line ended.
 */
@Tag("data")
class TrainingProgressBarTest {
  @Test
  void linesScrollAboveTheBarAndTheBarEndsAtTheLastStep() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<EpochMetrics> rows = new ArrayList<>();
    TrainingListener recorder =
        new TrainingListener() {
          @Override
          public void onEpochEnd(EpochMetrics metrics) {
            rows.add(metrics);
          }
        };
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph);
          PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
          TrainingProgressBar bar = new TrainingProgressBar(terminal)) {
        session.initialize();
        new Trainer(model, session, List.of(recorder, bar))
            .fit(data, new TrainingPlan(160, 100, 1f, 1, 100, 1000), 0, 0);
      }
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    // Lines split on '\n'; the bar's redraws start with '\r', so a line's text follows the last
    // '\r'.
    List<String> lines = out.lines().map(l -> l.substring(l.lastIndexOf('\r') + 1)).toList();
    assertTrue(
        lines.contains(
            "training softmax: steps 0 to 160, batch 100, 8000 examples (80 steps per epoch)"),
        out);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("step 100, training accuracy 0.")), out);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch 1 (step 80): loss ")), out);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch 2 (step 160): loss ")), out);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("training 100% ["), last);
    assertTrue(last.contains("] 160/160 ("), last);
    assertTrue(last.endsWith(String.format(Locale.ROOT, "loss %.4f", rows.get(1).loss())), last);
    assertTrue(out.endsWith("\n"), "the bar's line is ended");
    assertEquals(2, rows.size());
  }
}
