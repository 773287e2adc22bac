package org.tfmnist.testdata;

import static org.tfmnist.testdata.ForeignModels.CLASSIFY_METHOD;
import static org.tfmnist.testdata.ForeignModels.PREDICT_METHOD;
import static org.tfmnist.testdata.ForeignModels.REGRESS_METHOD;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.IdentityN;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.io.ParseExample;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * The graphs of {@link ForeignModels}: each builds its ops into a fresh graph and returns the
 * signatures to export. Weights are variables with fixed, formula-made initial values (no training,
 * no randomness), so every build gives the same model.
 */
final class ForeignGraphs {
  private ForeignGraphs() {}

  /** Deterministic weights in about [-scale, scale]: a sine of the index, phase-shifted. */
  static float[] weights(int n, float scale, double phase) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (scale * Math.sin(i * 0.7548776662 + phase));
    }
    return w;
  }

  private static Operand<TFloat32> floatVariable(Ops tf, String name, long[] shape, float[] init) {
    Ops scoped = tf;
    String[] parts = name.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      scoped = scoped.withSubScope(parts[i]);
    }
    return scoped
        .withName(parts[parts.length - 1])
        .variable(tf.constant(Shape.of(shape), DataBuffers.of(init, true, false)));
  }

  private static <T extends TType> Placeholder<T> input(
      Ops tf, String name, Class<T> type, long... dims) {
    return tf.withName(name).placeholder(type, Placeholder.shape(Shape.of(dims)));
  }

  /**
   * A Keras-style CNN: {@code image} float [-1,28,28,1] through a 3x3 stride-2 convolution with 4
   * filters and ReLU, flattened to 784, and a dense layer to 10 classes; {@code scores} is the
   * softmax and {@code digit} its argmax. Graph names as Keras exports them ({@code
   * serving_default_image}, {@code StatefulPartitionedCall:0/1}).
   */
  static List<Signature> kerasCnn(Ops tf) {
    Placeholder<TFloat32> image = input(tf, "serving_default_image", TFloat32.class, -1, 28, 28, 1);
    Operand<TFloat32> kernel =
        floatVariable(tf, "conv2d/kernel", new long[] {3, 3, 1, 4}, weights(36, 0.5f, 0.1));
    Operand<TFloat32> convBias =
        floatVariable(tf, "conv2d/bias", new long[] {4}, weights(4, 0.05f, 0.7));
    Operand<TFloat32> conv =
        tf.nn.relu(
            tf.math.add(
                tf.nn.conv2d(image, kernel, Arrays.asList(1L, 2L, 2L, 1L), "SAME"), convBias));
    Operand<TFloat32> flat = tf.reshape(conv, tf.constant(new int[] {-1, 784}));
    Operand<TFloat32> dense =
        floatVariable(tf, "dense/kernel", new long[] {784, 10}, weights(7840, 0.2f, 0.3));
    Operand<TFloat32> denseBias =
        floatVariable(tf, "dense/bias", new long[] {10}, weights(10, 0.1f, 1.1));
    Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(flat, dense), denseBias);
    Operand<TFloat32> scores = tf.nn.softmax(logits);
    Operand<TInt64> digit = tf.math.argMax(scores, tf.constant(1));
    IdentityN call = tf.withName("StatefulPartitionedCall").identityN(List.of(scores, digit));
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("image", image)
            .output("scores", call.output().get(0))
            .output("digit", call.output().get(1))
            .build());
  }

  /**
   * {@code serving_default}: {@code a}, {@code b} float [-1,3] to {@code sum} = a + b [-1,3] and
   * {@code dot} = sum(a * b * w) [-1] (w a variable of ones); {@code scale}: {@code x} double [-1]
   * to {@code scaled} = 2.5 x [-1] and {@code total} = sum(scaled), a scalar [] per request.
   */
  static List<Signature> twoInputs(Ops tf) {
    Placeholder<TFloat32> a = input(tf, "serving_default_a", TFloat32.class, -1, 3);
    Placeholder<TFloat32> b = input(tf, "serving_default_b", TFloat32.class, -1, 3);
    Operand<TFloat32> ones = floatVariable(tf, "w", new long[] {3}, new float[] {1, 1, 1});
    Operand<TFloat32> sum = tf.withName("sum").math.add(a, b);
    Operand<TFloat32> dot =
        tf.withName("dot").reduceSum(tf.math.mul(tf.math.mul(a, b), ones), tf.constant(1));
    Placeholder<TFloat64> x = input(tf, "scale_x", TFloat64.class, -1);
    Operand<TFloat64> factor = tf.withName("factor").variable(tf.constant(2.5));
    Operand<TFloat64> scaled = tf.withName("scaled").math.mul(x, factor);
    Operand<TFloat64> total = tf.withName("total").reduceSum(scaled, tf.constant(0));
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("a", a)
            .input("b", b)
            .output("sum", sum)
            .output("dot", dot)
            .build(),
        Signature.builder()
            .key("scale")
            .methodName(PREDICT_METHOD)
            .input("x", x)
            .output("scaled", scaled)
            .output("total", total)
            .build());
  }

  /**
   * {@code serving_default}: {@code ids} int64 [-1,4] to {@code doubled} int64 and {@code positive}
   * bool; {@code echo}: {@code text} string [-1] to {@code length} int32 (bytes) and {@code
   * upper_bytes} string (ASCII upper case); {@code narrow}: {@code u8} uint8, {@code u16} uint16,
   * {@code f16} half, {@code bf16} bfloat16, all [-1,2], to {@code total} float (their sum as
   * floats), {@code f16_doubled} half, {@code bf16_negated} bfloat16, {@code u8_inverted} uint8
   * (255 - u8); {@code narrow_signed}: {@code i8} int8, {@code i16} int16 [-1,2] to {@code total}
   * float (TF Java 1.1.0 cannot feed these two dtypes; a server must build them itself).
   */
  static List<Signature> typed(Ops tf) {
    Placeholder<TInt64> ids = input(tf, "serving_default_ids", TInt64.class, -1, 4);
    Operand<TInt64> two = tf.withName("two").variable(tf.constant(new long[] {2L}));
    Operand<TInt64> doubled = tf.withName("doubled").math.mul(ids, two);
    Operand<?> positive = tf.withName("positive").math.greater(ids, tf.constant(0L));
    Placeholder<TString> text = input(tf, "echo_text", TString.class, -1);
    Operand<TInt32> length = tf.withName("length").strings.stringLength(text);
    Operand<TString> upper = tf.withName("upper").strings.upper(text);
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("ids", ids)
            .output("doubled", doubled)
            .output("positive", positive)
            .build(),
        Signature.builder()
            .key("echo")
            .methodName(PREDICT_METHOD)
            .input("text", text)
            .output("length", length)
            .output("upper_bytes", upper)
            .build(),
        narrow(tf),
        narrowSigned(tf));
  }

  private static Signature narrow(Ops tf) {
    Placeholder<TUint8> u8 = input(tf, "narrow_u8", TUint8.class, -1, 2);
    Placeholder<TUint16> u16 = input(tf, "narrow_u16", TUint16.class, -1, 2);
    Placeholder<TFloat16> f16 = input(tf, "narrow_f16", TFloat16.class, -1, 2);
    Placeholder<TBfloat16> bf16 = input(tf, "narrow_bf16", TBfloat16.class, -1, 2);
    Operand<TFloat32> f16f = tf.dtypes.cast(f16, TFloat32.class);
    Operand<TFloat32> bf16f = tf.dtypes.cast(bf16, TFloat32.class);
    Operand<TFloat32> total =
        tf.withName("narrow_total")
            .math
            .add(
                tf.math.add(
                    tf.dtypes.cast(u8, TFloat32.class), tf.dtypes.cast(u16, TFloat32.class)),
                tf.math.add(f16f, bf16f));
    Operand<TFloat16> f16Doubled =
        tf.withName("f16_doubled")
            .dtypes
            .cast(tf.math.mul(f16f, tf.constant(new float[] {2f})), TFloat16.class);
    Operand<TBfloat16> bf16Negated =
        tf.withName("bf16_negated").dtypes.cast(tf.math.neg(bf16f), TBfloat16.class);
    Operand<TUint8> u8Inverted =
        tf.withName("u8_inverted")
            .dtypes
            .cast(
                tf.math.sub(tf.constant(new int[] {255}), tf.dtypes.cast(u8, TInt32.class)),
                TUint8.class);
    return Signature.builder()
        .key("narrow")
        .methodName(PREDICT_METHOD)
        .input("u8", u8)
        .input("u16", u16)
        .input("f16", f16)
        .input("bf16", bf16)
        .output("total", total)
        .output("f16_doubled", f16Doubled)
        .output("bf16_negated", bf16Negated)
        .output("u8_inverted", u8Inverted)
        .build();
  }

  /** int8 and int16 have no Java tensor type in 1.1.0: their placeholders are built raw. */
  private static Signature narrowSigned(Ops tf) {
    Output<TType> i8 = rawPlaceholder(tf, "narrow_signed_i8", DataType.DT_INT8);
    Output<TType> i16 = rawPlaceholder(tf, "narrow_signed_i16", DataType.DT_INT16);
    Operand<TFloat32> total =
        tf.withName("narrow_signed_total")
            .math
            .add(tf.dtypes.cast(i8, TFloat32.class), tf.dtypes.cast(i16, TFloat32.class));
    return Signature.builder()
        .key("narrow_signed")
        .methodName(PREDICT_METHOD)
        .input("i8", i8)
        .input("i16", i16)
        .output("total", total)
        .build();
  }

  private static Output<TType> rawPlaceholder(Ops tf, String name, DataType dtype) {
    Operation op =
        tf.withName(name)
            .scope()
            .opBuilder("Placeholder", "Placeholder")
            .setAttr("dtype", dtype)
            .setAttr("shape", Shape.of(-1, 2))
            .build();
    return op.output(0);
  }

  /**
   * An estimator-style classifier on serialized {@code tf.Example}s with one float feature {@code
   * x} [2]: logits = x W + b; {@code serving_default} and {@code classification} (classify: {@code
   * inputs} -> {@code classes} string [-1,2] ("neg", "pos") and {@code scores} float [-1,2]
   * softmax), {@code regression} (regress: {@code inputs} -> {@code outputs} float [-1] = x0 + x1),
   * {@code predict} (predict: {@code examples} -> {@code probabilities}, {@code logits} [-1,2]).
   */
  static List<Signature> classifier(Ops tf) {
    Placeholder<TString> serialized = input(tf, "input_example_tensor", TString.class, -1);
    ParseExample parsed =
        tf.io.parseExample(
            serialized,
            tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0)),
            tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0)),
            tf.constant(Shape.of(1), DataBuffers.ofObjects(ForeignModels.FEATURE)),
            tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0)),
            List.of(tf.constant(Shape.of(0), DataBuffers.ofFloats(0))),
            0L,
            List.of(),
            List.of(),
            List.<Class<? extends TNumber>>of(),
            List.of(Shape.of(2)));
    @SuppressWarnings("unchecked")
    Operand<TFloat32> x = (Operand<TFloat32>) parsed.denseValues().get(0);
    Operand<TFloat32> w =
        floatVariable(tf, "linear/weights", new long[] {2, 2}, new float[] {1f, -1f, -0.5f, 0.5f});
    Operand<TFloat32> b = floatVariable(tf, "linear/bias", new long[] {2}, new float[] {0.1f, 0f});
    Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(x, w), b);
    Operand<TFloat32> scores = tf.withName("probabilities").nn.softmax(logits);
    Operand<TInt32> index =
        tf.math.add(
            tf.dtypes.cast(tf.zerosLike(scores), TInt32.class), tf.constant(new int[] {0, 1}));
    Operand<TString> names =
        tf.constant(Shape.of(2), DataBuffers.ofObjects(ForeignModels.CLASS_NAMES));
    Operand<TString> classes = tf.withName("classes").gather(names, index, tf.constant(0));
    Operand<TFloat32> outputs = tf.withName("outputs").reduceSum(x, tf.constant(1));
    Signature classify =
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(CLASSIFY_METHOD)
            .input("inputs", serialized)
            .output("classes", classes)
            .output("scores", scores)
            .build();
    return List.of(
        classify,
        Signature.builder()
            .key("classification")
            .methodName(CLASSIFY_METHOD)
            .input("inputs", serialized)
            .output("classes", classes)
            .output("scores", scores)
            .build(),
        Signature.builder()
            .key("regression")
            .methodName(REGRESS_METHOD)
            .input("inputs", serialized)
            .output("outputs", outputs)
            .build(),
        Signature.builder()
            .key("predict")
            .methodName(PREDICT_METHOD)
            .input("examples", serialized)
            .output("probabilities", scores)
            .output("logits", logits)
            .build());
  }

  /**
   * A dense MNIST classifier: {@code inputName} float of shape {@code inputDims} (one of [-1,784],
   * [-1,28,28], [-1,28,28,1]) flattened, times a fixed [784,10] matrix plus bias; output {@code
   * outputName} float [-1,10], logits or their softmax; plus {@code digit} int64 [-1}, the argmax.
   */
  static List<Signature> mnistClassifier(
      Ops tf, long[] inputDims, String inputName, String outputName, boolean logits) {
    Placeholder<TFloat32> in = input(tf, "serving_default_" + inputName, TFloat32.class, inputDims);
    Operand<TFloat32> flat = tf.reshape(in, tf.constant(new int[] {-1, 784}));
    Operand<TFloat32> w =
        floatVariable(tf, "dense/kernel", new long[] {784, 10}, weights(7840, 0.1f, 0.9));
    Operand<TFloat32> bias =
        floatVariable(tf, "dense/bias", new long[] {10}, weights(10, 0.1f, 0.2));
    Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(flat, w), bias);
    Operand<TFloat32> out = logits ? tf.identity(z) : tf.nn.softmax(z);
    Operand<TInt64> digit = tf.math.argMax(z, tf.constant(1));
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input(inputName, in)
            .output(outputName, out)
            .output("digit", digit)
            .build());
  }

  /**
   * This project's own serving contract ({@code ServingSignature}) with fixed, untrained weights:
   * {@code serving_default}: {@code images} float [-1,784] -> {@code probabilities} float [-1,10]
   * (softmax of a fixed linear map), {@code classes} int64 [-1]; {@code predict_pixels}: {@code
   * pixels} uint8 [-1,28,28] (divided by 255) -> the same outputs.
   */
  static List<Signature> tutorialContract(Ops tf) {
    Placeholder<TFloat32> images = input(tf, "x", TFloat32.class, -1, 784);
    Placeholder<TUint8> pixels = input(tf, "pixels", TUint8.class, -1, 28, 28);
    Operand<TFloat32> w = floatVariable(tf, "W", new long[] {784, 10}, weights(7840, 0.1f, 0.4));
    Operand<TFloat32> b = floatVariable(tf, "b", new long[] {10}, weights(10, 0.1f, 0.5));
    Operand<TFloat32> probabilities =
        tf.withName("probabilities").nn.softmax(tf.math.add(tf.linalg.matMul(images, w), b));
    Operand<TInt64> classes = tf.withName("classes").math.argMax(probabilities, tf.constant(1));
    Operand<TFloat32> scaled =
        tf.reshape(
            tf.math.div(tf.dtypes.cast(pixels, TFloat32.class), tf.constant(new float[] {255f})),
            tf.constant(new int[] {-1, 784}));
    Operand<TFloat32> pixelProbabilities =
        tf.withName("pixel_probabilities").nn.softmax(tf.math.add(tf.linalg.matMul(scaled, w), b));
    Operand<TInt64> pixelClasses =
        tf.withName("pixel_classes").math.argMax(pixelProbabilities, tf.constant(1));
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("images", images)
            .output("probabilities", probabilities)
            .output("classes", classes)
            .build(),
        Signature.builder()
            .key("predict_pixels")
            .methodName(PREDICT_METHOD)
            .input("pixels", pixels)
            .output("probabilities", pixelProbabilities)
            .output("classes", pixelClasses)
            .build());
  }

  /**
   * Variable-length rows: {@code serving_default}: {@code tokens} float [-1,-1] to {@code first}
   * float [-1] (each row's first value, which padding past it leaves unchanged) and {@code doubled}
   * = 2 tokens, float [-1,-1] (its second dimension is the input's).
   */
  static List<Signature> variableLength(Ops tf) {
    Placeholder<TFloat32> tokens = input(tf, "serving_default_tokens", TFloat32.class, -1, -1);
    Operand<TFloat32> first = tf.withName("first").gather(tokens, tf.constant(0), tf.constant(1));
    Operand<TFloat32> two = tf.withName("two").variable(tf.constant(2f)); // a variables/ dir
    Operand<TFloat32> doubled = tf.withName("doubled").math.mul(tokens, two);
    return List.of(
        Signature.builder()
            .key(ForeignModels.DEFAULT_SIGNATURE)
            .methodName(PREDICT_METHOD)
            .input("tokens", tokens)
            .output("first", first)
            .output("doubled", doubled)
            .build());
  }
}
