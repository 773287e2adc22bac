package org.tfmnist.testdata;

import static org.tfmnist.testdata.ForeignModels.PREDICT_METHOD;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TType;

/**
 * The graph of {@link ForeignModels#narrowInputs}: placeholders of the four dtypes TF Java 1.1.0
 * has no tensors of (built raw, by their proto dtype), and what a model computes from them.
 */
final class NarrowInputGraph {
  private NarrowInputGraph() {}

  /**
   * {@code serving_default}: {@code i8} int8, {@code i16} int16, {@code u32} uint32, {@code u64}
   * uint64, all [-1,2], to {@code total} double = ((i8 + i16) + u32) * w + u64 as doubles (w a
   * double variable of 1), {@code i8_echo} int8 and {@code u64_echo} uint64 (their identities);
   * {@code view}: {@code i8} names an Identity of the int8 placeholder (not a placeholder) to
   * {@code total} double.
   */
  static List<Signature> build(Ops tf) {
    Output<TType> i8 = placeholder(tf, "narrow_i8", DataType.DT_INT8);
    Output<TType> i16 = placeholder(tf, "narrow_i16", DataType.DT_INT16);
    Output<TType> u32 = placeholder(tf, "narrow_u32", DataType.DT_UINT32);
    Output<TType> u64 = placeholder(tf, "narrow_u64", DataType.DT_UINT64);
    Operand<TFloat64> w = tf.withName("w").variable(tf.constant(new double[] {1.0}));
    Operand<TFloat64> small =
        tf.math.add(tf.math.add(asDouble(tf, i8), asDouble(tf, i16)), asDouble(tf, u32));
    Operand<TFloat64> total =
        tf.withName("narrow_total").math.add(tf.math.mul(small, w), asDouble(tf, u64));
    Operand<TType> i8Echo = tf.withName("i8_echo").identity(i8);
    Operand<TType> u64Echo = tf.withName("u64_echo").identity(u64);
    Operand<TType> view = tf.withName("narrow_i8_view").identity(i8);
    Operand<TFloat64> viewTotal = tf.withName("view_total").math.mul(asDouble(tf, view), w);
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("i8", i8)
            .input("i16", i16)
            .input("u32", u32)
            .input("u64", u64)
            .output("total", total)
            .output("i8_echo", i8Echo)
            .output("u64_echo", u64Echo)
            .build(),
        Signature.builder()
            .key("view")
            .methodName(PREDICT_METHOD)
            .input("i8", view)
            .output("total", viewTotal)
            .build());
  }

  private static Operand<TFloat64> asDouble(Ops tf, Operand<TType> x) {
    return tf.dtypes.cast(x, TFloat64.class);
  }

  private static Output<TType> placeholder(Ops tf, String name, DataType dtype) {
    return tf.withName(name)
        .scope()
        .opBuilder("Placeholder", "Placeholder")
        .setAttr("dtype", dtype)
        .setAttr("shape", Shape.of(-1, 2))
        .build()
        .output(0);
  }
}
