package org.tfmnist.serving.grpc;

import com.google.protobuf.ByteString;
import io.grpc.StatusException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.inference.Prediction;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.PredictRequest;

/**
 * TF Serving's Predict tensors for the {@link ServingSignature} contract. Accepted: {@code
 * serving_default}'s {@code images} as DT_FLOAT [n, 784] in {@code float_val} or {@code
 * tensor_content} (little-endian), and {@code predict_pixels}' {@code pixels} as DT_UINT8 [n, 28,
 * 28] in {@code int_val} or {@code tensor_content}. As TF reads a TensorProto, fewer {@code *_val}
 * values than elements repeat the last one (none: zeros). Anything else is TF Serving's
 * INVALID_ARGUMENT. Answers are {@code probabilities} DT_FLOAT [n, 10] in {@code float_val} and
 * {@code classes} DT_INT64 [n] in {@code int64_val}.
 */
final class TensorCodec {
  private static final List<String> OUTPUTS =
      List.of(ServingSignature.OUTPUT_CLASSES, ServingSignature.OUTPUT_PROBABILITIES);

  private TensorCodec() {}

  /** The images of a Predict request on {@code signature}, at most {@code maxImages} of them. */
  static PredictRequest decode(String signature, Map<String, TensorProto> inputs, int maxImages)
      throws StatusException {
    boolean pixels = signature.equals(ServingSignature.PIXELS_KEY);
    String alias = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    if (inputs.size() != 1 || !inputs.containsKey(alias)) {
      throw inputMismatch(inputs, alias);
    }
    TensorProto t = inputs.get(alias);
    DataType expected = pixels ? DataType.DT_UINT8 : DataType.DT_FLOAT;
    if (t.getDtype() != expected) {
      throw GrpcErrors.invalid(
          "Expects arg[0] to be "
              + typeName(expected)
              + " but "
              + typeName(t.getDtype())
              + " is provided");
    }
    long[] inner =
        pixels ? new long[] {MnistShape.ROWS, MnistShape.COLS} : new long[] {MnistShape.PIXELS};
    int count = count(alias, t.getTensorShape(), inner, maxImages);
    int n = count * MnistShape.PIXELS;
    float[] values = pixels ? uint8s(alias, t, n) : floats(alias, t, n);
    return new PredictRequest(signature, true, values, count);
  }

  private static StatusException inputMismatch(Map<String, TensorProto> inputs, String alias) {
    String sent = String.join(",", new java.util.TreeSet<>(inputs.keySet()));
    String extra =
        String.join(",", inputs.keySet().stream().filter(k -> !k.equals(alias)).sorted().toList());
    return GrpcErrors.invalid(
        "input size does not match signature: "
            + inputs.size()
            + "!=1 len({"
            + sent
            + "}) != len({"
            + alias
            + "}). Sent extra: {"
            + extra
            + "}. Missing but required: {"
            + (inputs.containsKey(alias) ? "" : alias)
            + "}.");
  }

  /** The first dimension n of a shape [n, inner...], checked against the signature. */
  private static int count(String alias, TensorShapeProto shape, long[] inner, int maxImages)
      throws StatusException {
    List<TensorShapeProto.Dim> dims = shape.getDimList();
    boolean ok = !shape.getUnknownRank() && dims.size() == inner.length + 1;
    for (int i = 0; ok && i < inner.length; i++) {
      ok = dims.get(i + 1).getSize() == inner[i];
    }
    if (!ok || dims.get(0).getSize() < 0) {
      StringBuilder want = new StringBuilder("[-1");
      for (long d : inner) {
        want.append(',').append(d);
      }
      throw GrpcErrors.invalid(
          "input "
              + alias
              + " has shape "
              + dims.stream().map(d -> Long.toString(d.getSize())).toList()
              + "; the signature expects "
              + want
              + "]");
    }
    long n = dims.get(0).getSize();
    if (n > maxImages) {
      throw GrpcErrors.invalid(
          "input " + alias + " holds " + n + " images; at most " + maxImages + " per request");
    }
    return (int) n;
  }

  private static float[] floats(String alias, TensorProto t, int n) throws StatusException {
    float[] out = new float[n];
    if (!t.getTensorContent().isEmpty()) {
      ByteString content = t.getTensorContent();
      if (content.size() != (long) n * Float.BYTES) {
        throw parsingError(alias);
      }
      FloatBuffer b = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      b.get(out);
      return out;
    }
    int have = t.getFloatValCount();
    if (have > n) {
      throw parsingError(alias);
    }
    for (int i = 0; i < n && have > 0; i++) {
      out[i] = t.getFloatVal(Math.min(i, have - 1));
    }
    return out;
  }

  private static float[] uint8s(String alias, TensorProto t, int n) throws StatusException {
    float[] out = new float[n];
    if (!t.getTensorContent().isEmpty()) {
      ByteString content = t.getTensorContent();
      if (content.size() != n) {
        throw parsingError(alias);
      }
      for (int i = 0; i < n; i++) {
        out[i] = content.byteAt(i) & 0xFF;
      }
      return out;
    }
    int have = t.getIntValCount();
    if (have > n) {
      throw parsingError(alias);
    }
    for (int i = 0; i < n && have > 0; i++) {
      out[i] = t.getIntVal(Math.min(i, have - 1)) & 0xFF; // TF casts int_val to uint8
    }
    return out;
  }

  private static StatusException parsingError(String alias) {
    return GrpcErrors.invalid("tensor parsing error: " + alias);
  }

  /** TF's short name of a dtype: DT_FLOAT is "float". */
  private static String typeName(DataType type) {
    return type.name().replaceFirst("^DT_", "").toLowerCase(Locale.ROOT);
  }

  /** The outputs asked for ({@code filter} empty: all), checked as TF Serving checks them. */
  static List<String> outputs(List<String> filter) throws StatusException {
    if (filter.isEmpty()) {
      return OUTPUTS;
    }
    for (int i = 0; i < filter.size(); i++) {
      String alias = filter.get(i);
      if (!OUTPUTS.contains(alias)) {
        throw GrpcErrors.invalid(
            "output tensor alias not found in signature: "
                + alias
                + " Outputs expected to be in the set {"
                + String.join(",", OUTPUTS)
                + "}.");
      }
      if (filter.subList(0, i).contains(alias)) {
        throw GrpcErrors.invalid("duplicate output tensor alias: " + alias);
      }
    }
    return filter;
  }

  /** The output {@code alias} of {@code predictions} as a TensorProto. */
  static TensorProto encode(String alias, Prediction[] predictions) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(predictions.length));
    TensorProto.Builder t = TensorProto.newBuilder();
    if (alias.equals(ServingSignature.OUTPUT_CLASSES)) {
      t.setDtype(DataType.DT_INT64);
      for (Prediction p : predictions) {
        t.addInt64Val(p.digit());
      }
    } else {
      t.setDtype(DataType.DT_FLOAT);
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(MnistShape.CLASSES));
      for (Prediction p : predictions) {
        for (float f : p.probabilities()) {
          t.addFloatVal(f);
        }
      }
    }
    return t.setTensorShape(shape).build();
  }
}
