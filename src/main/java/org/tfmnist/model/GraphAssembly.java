package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * The parts every classifier graph shares, wired around a {@link Network}: the {@code x}, {@code
 * y_} and {@code keep_prob} inputs, softmax, cross-entropy, accuracy, the global step and the
 * training op an {@link Optimizer} makes. Builders differ only in their network and optimiser.
 * MNIST-sized models also get the {@code pixels} serving input (raw uint8 28x28); models of other
 * image sizes (the 8x8 digits) have none.
 */
public final class GraphAssembly {
  private GraphAssembly() {}

  /**
   * Builds the full training graph for {@code network} (created by {@code networkFactory}) with
   * {@code tf}, made for the graph by a {@link DevicePlacement}.
   */
  public static ModelGraph assemble(
      Ops tf, String name, InputShape input, NetworkFactory networkFactory, Optimizer optimizer) {
    return assemble(tf, name, input, networkFactory, optimizer, false);
  }

  /**
   * As above; with {@code sumOverBatch} the optimiser minimises the cross-entropy summed over the
   * batch (the early tutorials' {@code -tf.reduce_sum(y_ * tf.log(y))}, which the digits write-up
   * trains on) instead of its mean. The reported {@code loss} is the mean either way.
   */
  public static ModelGraph assemble(
      Ops tf,
      String name,
      InputShape input,
      NetworkFactory networkFactory,
      Optimizer optimizer,
      boolean sumOverBatch) {
    Graph graph = (Graph) tf.scope().env();
    Placeholder<TFloat32> x =
        tf.withName("x")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, input.features())));
    Placeholder<TFloat32> yTrue =
        tf.withName("y_")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MnistShape.CLASSES)));
    PlaceholderWithDefault<TFloat32> keepProb =
        tf.withName("keep_prob").placeholderWithDefault(tf.constant(1.0f), Shape.scalar());

    Variable<TInt64> globalStep = tf.withName("global_step").variable(tf.constant(0L));
    Network network = networkFactory.create(tf, globalStep);
    Operand<TFloat32> logits = tf.withName("logits").identity(network.logits(tf, x, keepProb));
    Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
    Operand<TInt64> classes =
        tf.withName("classes").math.argMax(logits, tf.constant(1), TInt64.class);

    Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, yTrue).loss();
    Operand<TFloat32> loss = tf.withName("cross_entropy").math.mean(perExample, tf.constant(0));
    Operand<TFloat32> objective =
        sumOverBatch
            ? tf.withName("cross_entropy_sum").reduceSum(perExample, tf.constant(0))
            : loss;
    Operand<TFloat32> accuracy = accuracy(tf, classes, yTrue);

    List<Variable<TFloat32>> variables = network.variables();
    Op train = optimizer.minimize(tf.withSubScope("train"), objective, variables, globalStep);

    PixelsInput serving = input.isMnist() ? PixelsInput.of(tf, network) : PixelsInput.NONE;
    return new ModelGraph(
        name,
        graph,
        x,
        yTrue,
        keepProb,
        logits,
        probabilities,
        classes,
        loss,
        accuracy,
        train,
        globalStep,
        variables,
        network,
        serving.pixels(),
        serving.probabilities(),
        serving.classes());
  }

  /** The fraction of the batch whose predicted class is the label's. */
  private static Operand<TFloat32> accuracy(
      Ops tf, Operand<TInt64> classes, Operand<TFloat32> yTrue) {
    return tf.withName("accuracy")
        .math
        .mean(
            tf.dtypes.cast(
                tf.math.equal(classes, tf.math.argMax(yTrue, tf.constant(1), TInt64.class)),
                TFloat32.class),
            tf.constant(0));
  }

  /**
   * A second serving input for MNIST-sized models: raw 28x28 uint8 {@code pixels}, scaled and
   * flattened, into the same weights; its probabilities and classes under {@code pixels_input/}.
   */
  private record PixelsInput(
      Placeholder<TUint8> pixels, Operand<TFloat32> probabilities, Operand<TInt64> classes) {
    static final PixelsInput NONE = new PixelsInput(null, null, null);

    static PixelsInput of(Ops tf, Network network) {
      Ops px = tf.withSubScope("pixels_input");
      Placeholder<TUint8> pixels =
          tf.withName("pixels")
              .placeholder(
                  TUint8.class, Placeholder.shape(Shape.of(-1, MnistShape.ROWS, MnistShape.COLS)));
      Operand<TFloat32> scaled =
          px.math.div(
              px.reshape(
                  px.dtypes.cast(pixels, TFloat32.class),
                  px.constant(new int[] {-1, MnistShape.PIXELS})),
              px.constant(255f));
      Operand<TFloat32> logits = network.logits(px, scaled, px.constant(1.0f));
      return new PixelsInput(
          pixels,
          px.withName("probabilities").nn.softmax(logits),
          px.withName("classes").math.argMax(logits, px.constant(1), TInt64.class));
    }
  }

  /**
   * Creates a network's weights in a graph. {@code globalStep} lets random ops (dropout) draw from
   * a stateless generator keyed by (seed, step), so a resumed run repeats the masks.
   */
  @FunctionalInterface
  public interface NetworkFactory {
    Network create(Ops tf, Operand<TInt64> globalStep);
  }
}
