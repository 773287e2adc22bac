package org.tfmnist;

import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.train.Evaluation;
import org.tfmnist.train.Trainer;
import org.tfmnist.train.TrainingPlan;

/** Trains the tutorial models on mnist-small in-process and exports them, for serving tests. */
public final class TrainedModels {
  private TrainedModels() {}

  /** What a training run left: the exported SavedModel and the trainer's final test evaluation. */
  public record Trained(Path savedModel, Evaluation test) {}

  /** Softmax regression, the tutorial's 1000 steps of 100 (about a second). */
  public static Trained beginners(Path target) throws TfmnistException {
    return train(
        new SoftmaxRegression(0.5f), new TrainingPlan(1000, 100, 1f, 42, 100_000, 1000), target);
  }

  private static Trained softmax;

  /**
   * The softmax regression of {@link #beginners}, trained once per JVM and copied to {@code target}
   * (for the serving tests that need a model, not a training run).
   */
  public static synchronized Trained softmax(Path target) throws TfmnistException {
    if (softmax == null) {
      Path dir;
      try {
        dir = java.nio.file.Files.createTempDirectory("tfmnist-softmax-");
      } catch (java.io.IOException e) {
        throw new TfmnistException("cannot create a temporary directory: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> org.tfmnist.DurableFiles.deleteTreeQuietly(dir)));
      softmax = beginners(dir.resolve("saved_model"));
    }
    copyTree(softmax.savedModel(), target);
    return new Trained(target, softmax.test());
  }

  /** CNNs trained in this JVM, by steps: the test classes that need one share it. */
  private static final java.util.Map<Long, Trained> CNNS = new java.util.HashMap<>();

  /**
   * The tutorial CNN, {@code steps} steps of 50 with dropout 0.5, copied to {@code target}. It is
   * trained once per JVM for each step count (training it is the slowest part of several tests).
   */
  public static synchronized Trained experts(long steps, Path target) throws TfmnistException {
    Trained cached = CNNS.get(steps);
    if (cached == null) {
      Path dir;
      try {
        dir = java.nio.file.Files.createTempDirectory("tfmnist-cnn-" + steps + "-");
      } catch (java.io.IOException e) {
        throw new TfmnistException("cannot create a temporary directory: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> org.tfmnist.DurableFiles.deleteTreeQuietly(dir)));
      cached =
          train(
              new DeepMnistCnn(1e-4f, 42),
              new TrainingPlan(steps, 50, 0.5f, 42, 100_000, 1000),
              dir.resolve("saved_model"));
      CNNS.put(steps, cached);
    }
    copyTree(cached.savedModel(), target);
    return new Trained(target, cached.test());
  }

  private static void copyTree(Path from, Path to) throws TfmnistException {
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (dest.getParent() != null) {
          java.nio.file.Files.createDirectories(dest.getParent());
        }
        if (!java.nio.file.Files.isDirectory(dest)) {
          java.nio.file.Files.copy(p, dest);
        }
      }
    } catch (java.io.IOException e) {
      throw new TfmnistException(to + ": cannot copy the trained model: " + e.getMessage(), e);
    }
  }

  static Trained train(ModelBuilder builder, TrainingPlan plan, Path target)
      throws TfmnistException {
    DataSplits splits = MnistLoader.load(TestData.mnistSmallDir());
    try (Graph graph = new Graph()) {
      ModelGraph model = builder.build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        Evaluation test = new Trainer(model, session, List.of()).fit(splits, plan, 0, 0).test();
        SavedModelExporter.export(session, model, target);
        return new Trained(target, test);
      }
    }
  }
}
