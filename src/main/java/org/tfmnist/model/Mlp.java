package org.tfmnist.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' small multilayer perceptrons: {@code Dense(hidden, activation)}, optionally {@code
 * Dropout}, then {@code Dense(10)} and softmax. {@code mlp16} is Dense 16 sigmoid; {@code mlp512}
 * and {@code mlp2048} are one Dense ReLU layer with dropout 0.25.
 *
 * @param name the zoo name
 * @param hidden units in the hidden layer
 * @param activation the hidden layer's activation
 * @param dropout whether a dropout layer follows the hidden layer (its rate is the run's keep_prob)
 */
public record Mlp(
    String name, int hidden, Activation activation, boolean dropout, Optimizer optimizer, long seed)
    implements ModelBuilder {

  /** The hidden layer's nonlinearity. */
  public enum Activation {
    SIGMOID,
    RELU;

    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return this == SIGMOID ? tf.math.sigmoid(x) : tf.nn.relu(x);
    }
  }

  @Override
  public ModelGraph build(Graph graph, DevicePlacement placement) {
    return GraphAssembly.assemble(
        placement.ops(graph),
        name,
        InputShape.MNIST,
        (tf, step) -> new Layers(tf, step),
        placement.optimizer(optimizer));
  }

  private final class Layers implements Network {
    private final Dense hiddenLayer;
    private final Dense output;
    private final Dropout drop;

    Layers(Ops tf, Operand<TInt64> globalStep) {
      SeededInit init = new SeededInit(seed);
      hiddenLayer = Dense.create(tf, "dense_1", MnistShape.PIXELS, hidden, init);
      output = Dense.create(tf, "dense_2", hidden, MnistShape.CLASSES, init);
      drop = new Dropout(seed, globalStep);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      Operand<TFloat32> h = activation.apply(tf.withName("hidden"), hiddenLayer.apply(tf, images));
      if (dropout) {
        h = drop.apply(tf, h, keepProb, 0, "hidden_drop");
      }
      return output.apply(tf, h);
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      List<Variable<TFloat32>> all = new ArrayList<>(hiddenLayer.variables());
      all.addAll(output.variables());
      return all;
    }

    @Override
    public boolean usesDropout() {
      return dropout;
    }
  }
}
