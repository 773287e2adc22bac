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
 * The zoo's VGG-style CNN: blocks of 3x3 SAME ReLU convolutions (32, 32 / 64, 64, 64 / 128, 128,
 * 128), each block followed by 2x2 VALID max-pooling and dropout 0.25 (28 -> 14 -> 7 -> 3), then
 * Dense 512 ReLU, dropout 0.25, Dense 10 (1,066,410 trainable parameters).
 */
public record CnnVgg(Optimizer optimizer, long seed) implements ModelBuilder {
  public static final String NAME = "cnn-vgg";
  private static final int[][] BLOCKS = {{32, 32}, {64, 64, 64}, {128, 128, 128}};

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
    private final List<List<Conv2d>> blocks = new ArrayList<>();
    private final Dense hidden;
    private final Dense output;
    private final Dropout drop;
    private final int flat;

    Layers(Ops tf, Operand<TInt64> globalStep) {
      SeededInit init = new SeededInit(seed);
      long channels = 1;
      int size = 28;
      int n = 1;
      for (int[] block : BLOCKS) {
        List<Conv2d> convs = new ArrayList<>();
        for (int filters : block) {
          convs.add(Conv2d.create(tf, "conv_" + n++, 3, channels, filters, init));
          channels = filters;
        }
        blocks.add(convs);
        size /= 2;
      }
      flat = size * size * (int) channels;
      hidden = Dense.create(tf, "dense_1", flat, 512, init);
      output = Dense.create(tf, "dense_2", 512, MnistShape.CLASSES, init);
      drop = new Dropout(seed, globalStep);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      Operand<TFloat32> h = tf.reshape(images, tf.constant(new int[] {-1, 28, 28, 1}));
      int layer = 0;
      for (List<Conv2d> block : blocks) {
        for (Conv2d conv : block) {
          h = tf.nn.relu(conv.apply(tf, h));
        }
        h = Conv2d.maxPool2x2(tf, h, "VALID");
        h = drop.apply(tf, h, keepProb, layer, "block_" + (layer + 1) + "_drop");
        layer++;
      }
      h = tf.reshape(h, tf.constant(new int[] {-1, flat}));
      h = drop.apply(tf, tf.nn.relu(hidden.apply(tf, h)), keepProb, layer, "dense_1_drop");
      return output.apply(tf, h);
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      List<Variable<TFloat32>> all = new ArrayList<>();
      blocks.forEach(block -> block.forEach(conv -> all.addAll(conv.variables())));
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
