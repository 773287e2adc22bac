package org.tfmnist.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.proto.Summary;
import org.tfmnist.EventFiles;
import org.tfmnist.TestData;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;
import org.tfmnist.train.TrainingPlan;

/**
 * The TensorBoard listener's event files, read back record by record (TFRecord framing with masked
 * CRC-32C, {@code Event} protos): the graph, the batch figures every N steps and the epoch figures
 * equal to what the Trainer reported, and a resumed run's restart marker.
 */
@Tag("data")
class TensorBoardLoggerTest {
  @TempDir Path tmp;

  @Test
  void eventFilesHoldTheGraphAndTheTrainersFiguresAndMarkARestart() throws Exception {
    DataSplits data = MnistLoader.load(TestData.mnistSmallDir());
    Path logs = tmp.resolve("logs");
    List<EpochMetrics> rows = new ArrayList<>();
    TrainingListener recorder =
        new TrainingListener() {
          @Override
          public void onEpochEnd(EpochMetrics metrics) {
            rows.add(metrics);
          }
        };
    // 80 steps an epoch: two epochs, checkpointed, then resumed to a partial third (step 200).
    train(data, new TrainingPlan(160, 100, 1f, 3, 1000, 1000), 0, logs, recorder);
    train(data, new TrainingPlan(200, 100, 1f, 3, 1000, 1000), 160, logs, recorder);
    assertEquals(3, rows.size());

    Path trainDir = logs.resolve(TensorBoardLogger.TRAIN);
    assertEquals(2, EventFiles.in(trainDir).size(), "one event file per process");
    List<Event> first = EventFiles.read(EventFiles.in(trainDir).get(0));
    assertEquals("brain.Event:2", first.get(0).getFileVersion());
    GraphDef graph =
        GraphDef.parseFrom(
            first.stream()
                .filter(e -> !e.getGraphDef().isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no graph in " + trainDir))
                .getGraphDef());
    List<String> nodes = graph.getNodeList().stream().map(NodeDef::getName).toList();
    assertTrue(
        nodes.containsAll(List.of("x", "y_", "W", "b", "global_step")), "graph nodes: " + nodes);

    List<Event> second = EventFiles.read(EventFiles.in(trainDir).get(1));
    Event restart =
        second.stream()
            .filter(Event::hasSessionLog)
            .findFirst()
            .orElseThrow(() -> new AssertionError("resumed run marks no restart"));
    assertEquals(SessionLog.SessionStatus.START, restart.getSessionLog().getStatus());
    assertEquals(160, restart.getStep());

    List<Event> train = EventFiles.readAll(trainDir);
    assertEquals(
        LongStream.rangeClosed(1, 20).map(i -> i * 10).boxed().toList(),
        List.copyOf(scalars(train, "batch_loss").keySet()),
        "batch_loss every 10 steps");
    scalars(train, "batch_loss")
        .values()
        .forEach(v -> assertTrue(v > 0 && v < 3, "batch loss " + v));
    assertEquals(20, scalars(train, "batch_accuracy").size());
    List<Event> test = EventFiles.readAll(logs.resolve(TensorBoardLogger.TEST));
    for (EpochMetrics row : rows) {
      long epoch = row.epoch();
      assertEquals(row.loss(), scalars(train, "epoch_loss").get(epoch), 1e-6);
      assertEquals(row.accuracy(), scalars(train, "epoch_accuracy").get(epoch), 1e-6);
      assertEquals(row.testLoss(), scalars(test, "epoch_loss").get(epoch), 1e-6);
      assertEquals(row.testAccuracy(), scalars(test, "epoch_accuracy").get(epoch), 1e-6);
    }
  }

  @Test
  void aFlippedByteFailsTheCrcCheck() throws Exception {
    Path logs = tmp.resolve("logs");
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph);
          TensorBoardLogger logger = new TensorBoardLogger(logs, 10)) {
        logger.onTrainBegin(
            new TrainingContext(model, session, new TrainingPlan(1, 1, 1f, 1, 1, 1), 1, 1, 0, 0));
      }
    }
    Path file = EventFiles.in(logs.resolve(TensorBoardLogger.TRAIN)).get(0);
    EventFiles.read(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1;
    Path bad = Files.write(tmp.resolve("events.out.tfevents.bad"), bytes);
    assertThrows(AssertionError.class, () -> EventFiles.read(bad));
  }

  private static void train(
      DataSplits data, TrainingPlan plan, long start, Path logs, TrainingListener recorder)
      throws Exception {
    Path run = logs.resolveSibling("run");
    try (Graph graph = new Graph()) {
      ModelGraph model = new SoftmaxRegression(0.5f).build(graph);
      try (Session session = new Session(graph);
          TensorBoardLogger logger = new TensorBoardLogger(logs, 10)) {
        if (start == 0) {
          session.initialize();
        } else {
          assertEquals(
              start, Checkpoints.restore(session, model, Checkpoints.latest(run).orElseThrow()));
        }
        new Trainer(model, session, List.of(recorder, new Checkpoints(run), logger))
            .fit(data, plan, start, 0);
      }
    }
  }

  /** step -> simple_value of every scalar summary named tag. */
  private static Map<Long, Double> scalars(List<Event> events, String tag) {
    Map<Long, Double> values = new TreeMap<>();
    for (Event event : events) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        if (value.getTag().equals(tag)) {
          values.put(event.getStep(), (double) value.getSimpleValue());
        }
      }
    }
    return values;
  }
}
