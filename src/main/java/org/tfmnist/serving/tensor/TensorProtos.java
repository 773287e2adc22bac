package org.tfmnist.serving.tensor;

import com.google.protobuf.ByteString;
import java.util.List;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * {@link HostTensor} to and from TF's {@code TensorProto}, as TensorFlow reads and writes one: a
 * proto's values come from {@code tensor_content} (little-endian) or from the typed field of its
 * dtype ({@code float_val}, {@code half_val} for half and bfloat16, {@code int_val} for the
 * integers up to 32 bits, ...), where fewer values than elements repeat the last one and none means
 * zeros; an {@code int_val} out of the range of an int8, int16, uint8 or uint16 tensor is refused
 * (TF would wrap it). Answers use the typed fields, as TF Serving's {@code AsProtoField} does.
 */
public final class TensorProtos {
  private TensorProtos() {}

  /** A proto that TF would refuse: {@link #decode} names the problem. */
  public static final class BadTensorException extends Exception {
    private static final long serialVersionUID = 1L;

    BadTensorException(String message) {
      super(message);
    }
  }

  /** The shape of a proto, -1 for unknown dimensions; null for an unknown rank. */
  public static long[] shape(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return null;
    }
    long[] out = new long[shape.getDimCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.getDim(i).getSize();
    }
    return out;
  }

  /** The proto of a shape (-1: unknown dimension). */
  public static TensorShapeProto shapeProto(long[] shape) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : shape) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  /** The tensor a proto holds. */
  public static HostTensor decode(TensorProto p) throws BadTensorException {
    DType dtype = DType.of(p.getDtype());
    if (dtype == null) {
      throw new BadTensorException("dtype " + DType.tfName(p.getDtype()) + " is not supported");
    }
    long[] shape = shape(p.getTensorShape());
    if (shape == null) {
      throw new BadTensorException("a tensor's shape must have a known rank");
    }
    long n;
    try {
      n = HostTensor.elements(shape);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadTensorException("shape has a negative or too large dimension");
    }
    if (n > Integer.MAX_VALUE / 8) {
      throw new BadTensorException("tensor of " + n + " elements is too large");
    }
    int count = (int) n;
    if (dtype == DType.STRING) {
      return strings(p, shape, count);
    }
    if (!p.getTensorContent().isEmpty()) {
      ByteString content = p.getTensorContent();
      if (content.size() != (long) count * dtype.size()) {
        throw new BadTensorException(
            "tensor_content holds "
                + content.size()
                + " bytes; the shape needs "
                + (long) count * dtype.size());
      }
      return HostTensor.numeric(dtype, shape, content.toByteArray());
    }
    ElementBuffer out = new ElementBuffer(dtype, count);
    int have = typedCount(p, dtype);
    if (have > count) {
      throw new BadTensorException(have + " values for a shape of " + count + " elements");
    }
    for (int i = 0; i < count && have > 0; i++) {
      set(out, p, dtype, Math.min(i, have - 1), i);
    }
    return out.tensor(shape);
  }

  private static HostTensor strings(TensorProto p, long[] shape, int count)
      throws BadTensorException {
    int have = p.getStringValCount();
    if (have > count) {
      throw new BadTensorException(have + " values for a shape of " + count + " elements");
    }
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      values[i] = have == 0 ? new byte[0] : p.getStringVal(Math.min(i, have - 1)).toByteArray();
    }
    return HostTensor.strings(shape, values);
  }

  private static int typedCount(TensorProto p, DType dtype) {
    return switch (dtype) {
      case FLOAT -> p.getFloatValCount();
      case DOUBLE -> p.getDoubleValCount();
      case HALF, BFLOAT16 -> p.getHalfValCount();
      case INT8, INT16, INT32, UINT8, UINT16 -> p.getIntValCount();
      case INT64 -> p.getInt64ValCount();
      case UINT32 -> p.getUint32ValCount();
      case UINT64 -> p.getUint64ValCount();
      case BOOL -> p.getBoolValCount();
      case STRING -> p.getStringValCount();
    };
  }

  private static void set(ElementBuffer out, TensorProto p, DType dtype, int from, int i)
      throws BadTensorException {
    switch (dtype) {
      case FLOAT -> out.setDouble(i, p.getFloatVal(from));
      case DOUBLE -> out.setDouble(i, p.getDoubleVal(from));
      case HALF, BFLOAT16 -> out.setBits16(i, p.getHalfVal(from));
      case INT8, INT16, INT32, UINT8, UINT16 -> out.setLong(i, intVal(p, dtype, from));
      case INT64 -> out.setLong(i, p.getInt64Val(from));
      case UINT32 -> out.setLong(i, p.getUint32Val(from));
      case UINT64 -> out.setLong(i, p.getUint64Val(from));
      case BOOL -> out.setLong(i, p.getBoolVal(from) ? 1 : 0);
      default -> throw new IllegalStateException("strings are not numbers");
    }
  }

  /**
   * An {@code int_val} within its dtype's range (TF would wrap it; a served request is refused).
   */
  private static int intVal(TensorProto p, DType dtype, int from) throws BadTensorException {
    int v = p.getIntVal(from);
    if (!dtype.holds(v)) {
      throw new BadTensorException("int_val " + v + " is out of range for " + dtype.tfName());
    }
    return v;
  }

  /** The proto of a tensor, its values in the typed field of its dtype. */
  public static TensorProto encode(HostTensor t) {
    TensorProto.Builder b =
        TensorProto.newBuilder().setDtype(t.dtype().proto()).setTensorShape(shapeProto(t.shape()));
    int n = t.size();
    DType d = t.dtype();
    for (int i = 0; i < n; i++) {
      switch (d) {
        case FLOAT -> b.addFloatVal((float) t.doubleAt(i));
        case DOUBLE -> b.addDoubleVal(t.doubleAt(i));
        case HALF, BFLOAT16 -> b.addHalfVal(bits16(t, i));
        case INT8, INT16, INT32, UINT8, UINT16 -> b.addIntVal((int) t.longAt(i));
        case INT64 -> b.addInt64Val(t.longAt(i));
        case UINT32 -> b.addUint32Val((int) t.longAt(i));
        case UINT64 -> b.addUint64Val(t.longAt(i));
        case BOOL -> b.addBoolVal(t.longAt(i) != 0);
        default -> b.addStringVal(ByteString.copyFrom(t.bytesAt(i))); // STRING
      }
    }
    return b.build();
  }

  private static int bits16(HostTensor t, int i) {
    byte[] data = t.data();
    return (data[2 * i] & 0xff) | (data[2 * i + 1] & 0xff) << 8;
  }

  /** Protos of several tensors at once, in order. */
  public static List<TensorProto> encodeAll(List<HostTensor> tensors) {
    return tensors.stream().map(TensorProtos::encode).toList();
  }
}
