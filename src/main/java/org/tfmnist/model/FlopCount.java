package org.tfmnist.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;

/**
 * Floating-point operations per example of a model, counted from its graph: every convolution
 * ({@code Conv2D} and, in the training step, {@code Conv2DBackpropInput}/{@code
 * Conv2DBackpropFilter}) and every {@code MatMul}, at 2 FLOPs (a multiply and an add) per
 * multiply-accumulate, from the static shapes of their inputs and outputs (the batch dimension, -1,
 * dropped), over the ops a session runs for {@code logits} (forward) and for the training op
 * (forward and backward). Element-wise ops, pooling and the optimiser's updates are left out: they
 * are a small fraction of the work and not what a FLOP rate measures.
 *
 * @param forward the forward pass (the ops {@code logits} depends on)
 * @param training one training step: the forward pass plus the gradients' convolutions and products
 */
public record FlopCount(long forward, long training) {
  /** Counts {@code model}'s graph. */
  public static FlopCount of(ModelGraph model) {
    return new FlopCount(
        sum(ancestors((GraphOperation) model.logits().op())),
        sum(ancestors((GraphOperation) model.trainOp().op())));
  }

  private static long sum(Set<GraphOperation> ops) {
    long total = 0;
    for (GraphOperation op : ops) {
      total += perExample(op);
    }
    return total;
  }

  /** FLOPs per example of one op: 0 for any op but a convolution or a matrix product. */
  static long perExample(GraphOperation op) {
    return switch (op.type()) {
      case "Conv2D" -> conv(op.output(0).shape(), shapeOf(op, 1));
      case "Conv2DBackpropInput" -> conv(shapeOf(op, 2), shapeOf(op, 1));
      case "Conv2DBackpropFilter" -> conv(shapeOf(op, 2), op.output(0).shape());
      case "MatMul" -> matMul(op);
      default -> 0;
    };
  }

  /**
   * 2 * Ho * Wo * Cout * kh * kw * Cin for an output (or its gradient) [N, Ho, Wo, Cout] and a
   * filter [kh, kw, Cin, Cout].
   */
  private static long conv(Shape output, Shape filter) {
    requireKnown(filter, 0);
    requireKnown(output, 1);
    return 2
        * output.get(1)
        * output.get(2)
        * output.get(3)
        * filter.get(0)
        * filter.get(1)
        * filter.get(2);
  }

  /** 2 * M * K * N with the batch dimension (the one unknown of M, K, N) dropped. */
  private static long matMul(GraphOperation op) {
    Shape a = shapeOf(op, 0);
    Shape b = shapeOf(op, 1);
    boolean ta = op.attributes().getAttrBool("transpose_a");
    boolean tb = op.attributes().getAttrBool("transpose_b");
    long m = ta ? a.get(1) : a.get(0);
    long k = ta ? a.get(0) : a.get(1);
    long n = tb ? b.get(0) : b.get(1);
    long product = 2;
    int unknown = 0;
    for (long dim : new long[] {m, k, n}) {
      if (dim < 0) {
        unknown++;
      } else {
        product *= dim;
      }
    }
    if (unknown != 1) {
      throw new IllegalStateException(
          op.name() + ": expected one batch dimension in a MatMul of " + a + " and " + b);
    }
    return product;
  }

  private static Shape shapeOf(GraphOperation op, int input) {
    return op.input(input).shape();
  }

  /** Requires every dimension of {@code shape} from {@code from} on to be known. */
  private static void requireKnown(Shape shape, int from) {
    if (shape.isUnknown() || shape.numDimensions() != 4) {
      throw new IllegalStateException("cannot count a convolution of unknown shape " + shape);
    }
    for (int i = from; i < 4; i++) {
      if (shape.get(i) < 0) {
        throw new IllegalStateException("cannot count a convolution of shape " + shape);
      }
    }
  }

  /**
   * {@code op} and every op it depends on through its inputs and control inputs: what a session
   * runs for it (a gradient nobody consumes, like the one for {@code x}, is pruned and not
   * counted).
   */
  private static Set<GraphOperation> ancestors(GraphOperation op) {
    Set<GraphOperation> seen = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    todo.push(op);
    while (!todo.isEmpty()) {
      GraphOperation next = todo.pop();
      if (seen.add(next)) {
        for (Operand<?> input : next.inputs()) {
          Operation producer = input.op();
          todo.push((GraphOperation) producer);
        }
        todo.addAll(next.controlInputs());
      }
    }
    return seen;
  }
}
