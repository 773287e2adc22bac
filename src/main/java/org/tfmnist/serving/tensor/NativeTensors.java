package org.tfmnist.serving.tensor;

import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * {@link HostTensor} to and from a TensorFlow {@link Tensor}. TensorFlow Java 1.1.0 has tensor
 * types for float, double, half, bfloat16, int32, int64, uint8, uint16, bool and string; tensors of
 * the other dtypes a graph may declare (int8, int16, uint32, uint64) cannot exist in Java, so they
 * travel as a wider dtype ({@link #wider}) and a cast in the graph converts them: a model's outputs
 * are cast to it before they are fetched, and its inputs are fed {@link #widen widened} to a
 * placeholder that a cast reads.
 */
public final class NativeTensors {
  private static final Map<DType, Class<? extends TType>> TYPES =
      Map.of(
          DType.FLOAT, TFloat32.class,
          DType.DOUBLE, TFloat64.class,
          DType.HALF, TFloat16.class,
          DType.BFLOAT16, TBfloat16.class,
          DType.INT32, TInt32.class,
          DType.INT64, TInt64.class,
          DType.UINT8, TUint8.class,
          DType.UINT16, TUint16.class,
          DType.BOOL, TBool.class,
          DType.STRING, TString.class);

  private NativeTensors() {}

  /** Whether a tensor of {@code dtype} can be made in Java and fed to a graph. */
  public static boolean feedable(DType dtype) {
    return TYPES.containsKey(dtype);
  }

  /**
   * The dtype a tensor of {@code dtype} travels as, or null when it travels as it is: int8 and
   * int16 as int32, uint32 and uint64 as int64 (bits kept).
   */
  public static DType wider(DType dtype) {
    return switch (dtype) {
      case INT8, INT16 -> DType.INT32;
      case UINT32, UINT64 -> DType.INT64;
      default -> null;
    };
  }

  /** {@code t}, of a dtype that has a {@link #wider} one, as that dtype: the same values. */
  public static HostTensor widen(HostTensor t) {
    DType to = wider(t.dtype());
    if (to == null) {
      throw new IllegalArgumentException(t.dtype().tfName() + " has no wider dtype to travel as");
    }
    ElementBuffer out = new ElementBuffer(to, t.size());
    for (int i = 0; i < t.size(); i++) {
      out.setLong(i, t.longAt(i)); // uint32: 0..2^32-1; uint64: its bits, which a cast keeps
    }
    return out.tensor(t.shape());
  }

  /** A new TF tensor holding {@code t}; the caller closes it. */
  public static Tensor toTensor(HostTensor t) {
    Class<? extends TType> type = TYPES.get(t.dtype());
    if (type == null) {
      throw new IllegalArgumentException(
          "TensorFlow Java cannot make " + t.dtype().tfName() + " tensors");
    }
    Shape shape = Shape.of(t.shape());
    if (t.dtype() == DType.STRING) {
      return TString.tensorOfBytes(shape, DataBuffers.ofObjects(t.stringValues()));
    }
    return Tensor.of(type, shape, DataBuffers.of(t.data(), true, false));
  }

  /**
   * A copy of {@code t} in host memory, as {@code as} when not null (the dtype a graph declared
   * before a widening cast: its values are narrowed back).
   */
  public static HostTensor fromTensor(Tensor t, DType as) {
    DType dtype = DType.of(t.dataType());
    if (dtype == null) {
      throw new IllegalArgumentException("cannot serve a tensor of " + t.dataType());
    }
    long[] shape = t.shape().asArray();
    if (dtype == DType.STRING) {
      NdArray<byte[]> bytes = ((TString) t).asBytes();
      byte[][] values = new byte[Math.toIntExact(bytes.size())][];
      int[] at = {0};
      bytes.scalars().forEach(s -> values[at[0]++] = s.getObject());
      return HostTensor.strings(shape, values);
    }
    ByteDataBuffer raw = t.asRawTensor().data();
    byte[] data = new byte[Math.toIntExact(raw.size())];
    raw.read(data);
    HostTensor out = HostTensor.numeric(dtype, shape, data);
    return as == null || as == dtype ? out : narrow(out, as);
  }

  private static HostTensor narrow(HostTensor wide, DType as) {
    ElementBuffer out = new ElementBuffer(as, wide.size());
    for (int i = 0; i < wide.size(); i++) {
      out.setLong(i, wide.longAt(i));
    }
    return out.tensor(wide.shape());
  }
}
