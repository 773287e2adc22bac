package org.tfmnist.model;

import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;

/**
 * The models {@code train --model NAME} knows: the two tutorials' networks and Keras' MLPs and CNNs
 * from the readers' follow-up experiments. Each is one {@link ModelBuilder}; a new model is one
 * builder class and one line here.
 */
public final class ModelZoo {
  /** Keras' {@code Dropout(0.25)} keeps 75% of the units while training. */
  public static final float KERAS_KEEP_PROB = 0.75f;

  /**
   * One model of the zoo.
   *
   * @param name what {@code --model} takes
   * @param description one line for {@code train --list}
   * @param keepProb dropout keep probability while training (1 for models without dropout)
   * @param factory builds the model with the run's optimiser and seed
   */
  public record Entry(String name, String description, float keepProb, Factory factory) {
    public ModelBuilder builder(Optimizer optimizer, long seed) {
      return factory.create(optimizer, seed);
    }

    /** Trainable parameters, counted on a freshly built graph (as Keras' summary counts them). */
    public long parameterCount() {
      try (Graph graph = new Graph()) {
        return builder(OptimizerKind.SGD.create(0.01f), 0).build(graph).parameterCount();
      }
    }
  }

  /** Makes a model's builder from the run's optimiser and seed. */
  @FunctionalInterface
  public interface Factory {
    ModelBuilder create(Optimizer optimizer, long seed);
  }

  private static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              SoftmaxRegression.NAME,
              "the Beginners tutorial: softmax(xW + b), zero-initialised",
              1f,
              (optimizer, seed) -> new SoftmaxRegression(optimizer, InputShape.MNIST)),
          new Entry(
              DeepMnistCnn.NAME,
              "the Experts tutorial CNN: conv32-pool-conv64-pool-fc1024-dropout 0.5",
              0.5f,
              DeepMnistCnn::new),
          new Entry(
              "mlp16",
              "Dense 16 sigmoid -> Dense 10",
              1f,
              (optimizer, seed) ->
                  new Mlp("mlp16", 16, Mlp.Activation.SIGMOID, false, optimizer, seed)),
          new Entry(
              "mlp512",
              "Dense 512 ReLU, dropout 0.25 -> Dense 10",
              KERAS_KEEP_PROB,
              (optimizer, seed) ->
                  new Mlp("mlp512", 512, Mlp.Activation.RELU, true, optimizer, seed)),
          new Entry(
              "mlp2048",
              "Dense 2048 ReLU, dropout 0.25 -> Dense 10",
              KERAS_KEEP_PROB,
              (optimizer, seed) ->
                  new Mlp("mlp2048", 2048, Mlp.Activation.RELU, true, optimizer, seed)),
          new Entry(
              CnnSmall.NAME,
              "conv16 5x5-pool, Dense 512 ReLU, dropout 0.25 -> Dense 10",
              KERAS_KEEP_PROB,
              CnnSmall::new),
          new Entry(
              CnnVgg.NAME,
              "VGG-style conv 32,32 / 64x3 / 128x3 (3x3), pool+dropout 0.25 per block, Dense 512",
              KERAS_KEEP_PROB,
              CnnVgg::new));

  private ModelZoo() {}

  public static List<Entry> entries() {
    return ENTRIES;
  }

  public static Optional<Entry> find(String name) {
    return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The zoo's names, for messages and completion. */
  public static List<String> names() {
    return ENTRIES.stream().map(Entry::name).toList();
  }
}
