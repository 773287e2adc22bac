package org.tfmnist.serving;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.model.MnistShape;

/**
 * TF Serving's Predict input tensors for the {@link ServingSignature} contract, for gRPC and for
 * warm-up records alike. Accepted: {@code serving_default}'s {@code images} as DT_FLOAT [n, 784] in
 * {@code float_val} or {@code tensor_content} (little-endian), and {@code predict_pixels}' {@code
 * pixels} as DT_UINT8 [n, 28, 28] in {@code int_val} or {@code tensor_content}. As TF reads a
 * TensorProto, fewer {@code *_val} values than elements repeat the last one (none: zeros). Anything
 * else is a 400 with TF Serving's message.
 */
public final class PredictTensors {
  private PredictTensors() {}

  /** The images of a Predict request on {@code signature}, at most {@code maxImages} of them. */
  public static PredictRequest decode(
      String signature, Map<String, TensorProto> inputs, int maxImages) throws ApiException {
    boolean pixels = signature.equals(ServingSignature.PIXELS_KEY);
    String alias = pixels ? ServingSignature.INPUT_PIXELS : ServingSignature.INPUT_IMAGES;
    if (inputs.size() != 1 || !inputs.containsKey(alias)) {
      throw inputMismatch(inputs, alias);
    }
    TensorProto t = inputs.get(alias);
    DataType expected = pixels ? DataType.DT_UINT8 : DataType.DT_FLOAT;
    if (t.getDtype() != expected) {
      throw invalid(
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

  private static ApiException inputMismatch(Map<String, TensorProto> inputs, String alias) {
    String sent = String.join(",", new java.util.TreeSet<>(inputs.keySet()));
    String extra =
        String.join(",", inputs.keySet().stream().filter(k -> !k.equals(alias)).sorted().toList());
    return invalid(
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
      throws ApiException {
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
      throw invalid(
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
      throw invalid(
          "input " + alias + " holds " + n + " images; at most " + maxImages + " per request");
    }
    return (int) n;
  }

  private static float[] floats(String alias, TensorProto t, int n) throws ApiException {
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

  private static float[] uint8s(String alias, TensorProto t, int n) throws ApiException {
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

  private static ApiException parsingError(String alias) {
    return invalid("tensor parsing error: " + alias);
  }

  /** TF's short name of a dtype: DT_FLOAT is "float". */
  private static String typeName(DataType type) {
    return type.name().replaceFirst("^DT_", "").toLowerCase(Locale.ROOT);
  }

  private static ApiException invalid(String message) {
    return new ApiException(400, message);
  }
}
