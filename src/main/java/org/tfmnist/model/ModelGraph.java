package org.tfmnist.model;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * The contract every model builder returns: the handles the session runner, the exporter and the
 * CLI need, and nothing model-specific. A new model is a new {@link ModelBuilder}; nothing else
 * changes.
 *
 * @param name the model's name ("softmax", "cnn")
 * @param graph the graph the ops live in
 * @param images placeholder {@code x} [?, features] (784 for MNIST), pixels 0..1
 * @param labels placeholder {@code y_} [?, 10], one-hot
 * @param keepProb dropout keep probability {@code keep_prob}, defaults to 1.0 when not fed
 * @param logits unnormalised scores [?, 10]
 * @param probabilities softmax of the logits [?, 10]
 * @param classes the most probable class per image [?], int64
 * @param loss mean softmax cross-entropy over the batch (scalar)
 * @param accuracy fraction of the batch classified correctly (scalar)
 * @param trainOp one optimisation step; also advances {@code globalStep}
 * @param globalStep number of training steps taken (int64 scalar variable, checkpointed)
 * @param trainableVariables the weights the optimiser updates
 * @param network the forward pass, to wire further inputs (e.g. raw pixels) to the same weights
 * @param pixels serving input {@code pixels}: raw uint8 images [?, 28, 28], the same network (null
 *     for models of other image sizes)
 * @param pixelProbabilities probabilities [?, 10] for {@code pixels} (null without {@code pixels})
 * @param pixelClasses classes [?] for {@code pixels} (null without {@code pixels})
 */
public record ModelGraph(
    String name,
    Graph graph,
    Placeholder<TFloat32> images,
    Placeholder<TFloat32> labels,
    PlaceholderWithDefault<TFloat32> keepProb,
    Operand<TFloat32> logits,
    Operand<TFloat32> probabilities,
    Operand<TInt64> classes,
    Operand<TFloat32> loss,
    Operand<TFloat32> accuracy,
    Op trainOp,
    Variable<TInt64> globalStep,
    List<Variable<TFloat32>> trainableVariables,
    Network network,
    Placeholder<TUint8> pixels,
    Operand<TFloat32> pixelProbabilities,
    Operand<TInt64> pixelClasses) {

  public ModelGraph {
    Objects.requireNonNull(graph, "graph");
    trainableVariables = List.copyOf(trainableVariables);
  }

  /** Pixels per image the model takes ({@code x}'s second dimension). */
  public int features() {
    return (int) images.shape().get(1);
  }

  /** Number of trainable weights (Keras' "trainable params"). */
  public long parameterCount() {
    long total = 0;
    for (Variable<TFloat32> variable : trainableVariables) {
      total += variable.shape().size();
    }
    return total;
  }

  /** Whether {@code keepProb} affects training (the network has a dropout layer). */
  public boolean usesDropout() {
    return network.usesDropout();
  }
}
