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
 * The zoo's small CNN: conv 16 5x5 SAME + ReLU, 2x2 max-pool, Dense 512 ReLU, dropout 0.25, Dense
 * 10 (1,611,690 trainable parameters, as Keras counts them).
 */
public record CnnSmall(Optimizer optimizer, long seed) implements ModelBuilder {
  public static final String NAME = "cnn-small";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelGraph build(Graph graph, DevicePlacement placement) {
    return GraphAssembly.assemble(
        placement.ops(graph),
        NAME,
        InputShape.MNIST,
        (tf, step) -> new Layers(tf, step),
        placement.optimizer(optimizer));
  }

  private final class Layers implements Network {
    private final Conv2d conv;
    private final Dense hidden;
    private final Dense output;
    private final Dropout drop;

    Layers(Ops tf, Operand<TInt64> globalStep) {
      SeededInit init = new SeededInit(seed);
      conv = Conv2d.create(tf, "conv_1", 5, 1, 16, init);
      hidden = Dense.create(tf, "dense_1", 14 * 14 * 16, 512, init);
      output = Dense.create(tf, "dense_2", 512, MnistShape.CLASSES, init);
      drop = new Dropout(seed, globalStep);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      Operand<TFloat32> x = tf.reshape(images, tf.constant(new int[] {-1, 28, 28, 1}));
      Operand<TFloat32> h = Conv2d.maxPool2x2(tf, tf.nn.relu(conv.apply(tf, x)), "VALID");
      h = tf.reshape(h, tf.constant(new int[] {-1, 14 * 14 * 16}));
      h = drop.apply(tf, tf.nn.relu(hidden.apply(tf, h)), keepProb, 0, "dense_1_drop");
      return output.apply(tf, h);
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      List<Variable<TFloat32>> all = new ArrayList<>(conv.variables());
      all.addAll(hidden.variables());
      all.addAll(output.variables());
      return all;
    }

    @Override
    public boolean usesDropout() {
      return true;
    }
  }
}
