package org.tfmnist.model;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * "Deep MNIST for Experts": two 5x5 SAME convolutions (32 and 64 filters) each followed by ReLU and
 * 2x2 max-pooling, a 1024-unit ReLU layer, dropout, and a 10-way readout; weights from a truncated
 * normal (stddev 0.1), biases 0.1; trained with Adam. The initial weights and the dropout masks are
 * seeded from {@code seed}, so they repeat with it. With {@code sumOverBatch} the optimiser
 * minimises the cross-entropy summed over the batch, as the write-up's code does ({@code
 * -reduce_sum(y_ * log(y_conv))}), instead of the tutorial's mean.
 */
public record DeepMnistCnn(Optimizer optimizer, long seed, boolean sumOverBatch)
    implements ModelBuilder {
  public static final String NAME = "cnn";

  /** The tutorial's model: the batch's mean cross-entropy. */
  public DeepMnistCnn(Optimizer optimizer, long seed) {
    this(optimizer, seed, false);
  }

  /** The tutorial's optimiser: Adam with {@code learningRate} (1e-4 in the tutorial). */
  public DeepMnistCnn(float learningRate, long seed) {
    this(Adam.withLearningRate(learningRate), seed);
  }

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
        (tf, step) -> new Layers(tf, seed, step),
        placement.optimizer(optimizer),
        sumOverBatch);
  }

  /** The tutorial's weights and forward pass. */
  private static final class Layers implements Network {
    private final long seed;
    private final Variable<TFloat32> wConv1;
    private final Variable<TFloat32> bConv1;
    private final Variable<TFloat32> wConv2;
    private final Variable<TFloat32> bConv2;
    private final Variable<TFloat32> wFc1;
    private final Variable<TFloat32> bFc1;
    private final Variable<TFloat32> wFc2;
    private final Variable<TFloat32> bFc2;
    private final Dropout dropout;

    Layers(Ops tf, long seed, Operand<TInt64> globalStep) {
      this.seed = seed;
      this.dropout = new Dropout(seed, globalStep);
      wConv1 = weight(tf, "W_conv1", 1, 5, 5, 1, 32);
      bConv1 = bias(tf, "b_conv1", 32);
      wConv2 = weight(tf, "W_conv2", 2, 5, 5, 32, 64);
      bConv2 = bias(tf, "b_conv2", 64);
      wFc1 = weight(tf, "W_fc1", 3, 7 * 7 * 64, 1024);
      bFc1 = bias(tf, "b_fc1", 1024);
      wFc2 = weight(tf, "W_fc2", 4, 1024, MnistShape.CLASSES);
      bFc2 = bias(tf, "b_fc2", MnistShape.CLASSES);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Operand<TFloat32> keepProb) {
      Operand<TFloat32> xImage =
          tf.withName("x_image").reshape(images, tf.constant(new int[] {-1, 28, 28, 1}));
      Operand<TFloat32> hConv1 =
          tf.withName("h_conv1")
              .nn
              .relu(tf.math.add(Conv2d.conv2dSame(tf, xImage, wConv1), bConv1));
      Operand<TFloat32> hPool1 = Conv2d.maxPool2x2(tf.withName("h_pool1"), hConv1, "SAME");
      Operand<TFloat32> hConv2 =
          tf.withName("h_conv2")
              .nn
              .relu(tf.math.add(Conv2d.conv2dSame(tf, hPool1, wConv2), bConv2));
      Operand<TFloat32> hPool2 = Conv2d.maxPool2x2(tf.withName("h_pool2"), hConv2, "SAME");
      Operand<TFloat32> hPool2Flat =
          tf.withName("h_pool2_flat").reshape(hPool2, tf.constant(new int[] {-1, 7 * 7 * 64}));
      Operand<TFloat32> hFc1 =
          tf.withName("h_fc1").nn.relu(tf.math.add(tf.linalg.matMul(hPool2Flat, wFc1), bFc1));
      Operand<TFloat32> hFc1Drop = dropout.apply(tf, hFc1, keepProb, 0, "h_fc1_drop");
      return tf.math.add(tf.linalg.matMul(hFc1Drop, wFc2), bFc2);
    }

    private Variable<TFloat32> weight(Ops tf, String name, long opSeed, long... shape) {
      Operand<TFloat32> init =
          tf.math.mul(
              tf.random.truncatedNormal(
                  tf.constant(shape),
                  TFloat32.class,
                  TruncatedNormal.seed(seed),
                  TruncatedNormal.seed2(opSeed)),
              tf.constant(0.1f));
      return tf.withName(name).variable(init);
    }

    private static Variable<TFloat32> bias(Ops tf, String name, long size) {
      return tf.withName(name).variable(tf.fill(tf.constant(new long[] {size}), tf.constant(0.1f)));
    }

    @Override
    public List<Variable<TFloat32>> variables() {
      return List.of(wConv1, bConv1, wConv2, bConv2, wFc1, bFc1, wFc2, bFc2);
    }

    @Override
    public boolean usesDropout() {
      return true;
    }
  }
}
