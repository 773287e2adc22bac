package org.tfmnist.testdata;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
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

/**
 * A tensor's value held in plain Java arrays, for feeding {@link ForeignModels#directRun} and
 * comparing its answers with a server's. {@code dtype} is TF's enum name ({@code DT_FLOAT}); {@code
 * shape} the dimensions ({@code []} for a scalar); {@code data} the values in row-major order as:
 * {@code float[]} for DT_FLOAT, DT_HALF and DT_BFLOAT16; {@code double[]} for DT_DOUBLE; {@code
 * int[]} for DT_INT32, DT_UINT8 (0..255) and DT_UINT16 (0..65535); {@code long[]} for DT_INT64;
 * {@code boolean[]} for DT_BOOL; {@code byte[][]} for DT_STRING. TF Java 1.1.0 has no tensor type
 * for DT_INT8 or DT_INT16, so those cannot be fed or fetched from Java.
 */
public record TensorValue(String dtype, long[] shape, Object data) {

  public TensorValue {
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    int length = java.lang.reflect.Array.getLength(data);
    if (length != size) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + length);
    }
    requireKind(dtype, data);
  }

  /** DT_FLOAT values of {@code shape}. */
  public static TensorValue floats(long[] shape, float... values) {
    return new TensorValue("DT_FLOAT", shape, values);
  }

  /** DT_DOUBLE values of {@code shape}. */
  public static TensorValue doubles(long[] shape, double... values) {
    return new TensorValue("DT_DOUBLE", shape, values);
  }

  /** DT_INT64 values of {@code shape}. */
  public static TensorValue longs(long[] shape, long... values) {
    return new TensorValue("DT_INT64", shape, values);
  }

  /** DT_STRING values of {@code shape}, each a byte string. */
  public static TensorValue strings(long[] shape, byte[]... values) {
    return new TensorValue("DT_STRING", shape, values);
  }

  /** The values as floats (DT_FLOAT, DT_HALF, DT_BFLOAT16). */
  public float[] floats() {
    return (float[]) data;
  }

  /** The values as doubles (DT_DOUBLE). */
  public double[] doubles() {
    return (double[]) data;
  }

  /** The values as ints (DT_INT32, DT_UINT8, DT_UINT16). */
  public int[] ints() {
    return (int[]) data;
  }

  /** The values as longs (DT_INT64). */
  public long[] longs() {
    return (long[]) data;
  }

  /** The values as booleans (DT_BOOL). */
  public boolean[] booleans() {
    return (boolean[]) data;
  }

  /** The values as byte strings (DT_STRING). */
  public byte[][] strings() {
    return (byte[][]) data;
  }

  /** A new tensor holding these values; the caller closes it. */
  public Tensor toTensor() {
    Shape s = Shape.of(shape);
    switch (dtype) {
      case "DT_FLOAT":
        return TFloat32.tensorOf(s, DataBuffers.of(floats(), true, false));
      case "DT_HALF":
        return TFloat16.tensorOf(s, DataBuffers.of(floats(), true, false));
      case "DT_BFLOAT16":
        return TBfloat16.tensorOf(s, DataBuffers.of(floats(), true, false));
      case "DT_DOUBLE":
        return TFloat64.tensorOf(s, DataBuffers.of(doubles(), true, false));
      case "DT_INT32":
        return TInt32.tensorOf(s, DataBuffers.of(ints(), true, false));
      case "DT_INT64":
        return TInt64.tensorOf(s, DataBuffers.of(longs(), true, false));
      case "DT_BOOL":
        return TBool.tensorOf(s, DataBuffers.of(booleans(), true, false));
      case "DT_STRING":
        return TString.tensorOfBytes(s, DataBuffers.ofObjects(strings()));
      case "DT_UINT8":
        byte[] bytes = new byte[ints().length];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) ints()[i];
        }
        return TUint8.tensorOf(s, DataBuffers.of(bytes, true, false));
      case "DT_UINT16":
        short[] shorts = new short[ints().length];
        for (int i = 0; i < shorts.length; i++) {
          shorts[i] = (short) ints()[i];
        }
        return TUint16.tensorOf(s, DataBuffers.of(shorts, true, false));
      default:
        throw new IllegalArgumentException("TF Java 1.1.0 cannot build a " + dtype + " tensor");
    }
  }

  /** The values of {@code tensor} (not closed here). */
  public static TensorValue of(Tensor tensor) {
    long[] shape = tensor.shape().asArray();
    int n = Math.toIntExact(tensor.shape().size());
    String dtype = tensor.dataType().name();
    if (tensor instanceof TFloat32 t) {
      return new TensorValue(dtype, shape, readFloats(t::copyTo, n));
    } else if (tensor instanceof TFloat16 t) {
      return new TensorValue(dtype, shape, readFloats(t::copyTo, n));
    } else if (tensor instanceof TBfloat16 t) {
      return new TensorValue(dtype, shape, readFloats(t::copyTo, n));
    } else if (tensor instanceof TFloat64 t) {
      double[] v = new double[n];
      t.copyTo(DataBuffers.of(v, false, false));
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TInt32 t) {
      int[] v = new int[n];
      t.copyTo(DataBuffers.of(v, false, false));
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TInt64 t) {
      long[] v = new long[n];
      t.copyTo(DataBuffers.of(v, false, false));
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TBool t) {
      boolean[] v = new boolean[n];
      t.copyTo(DataBuffers.of(v, false, false));
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TString t) {
      byte[][] v = new byte[n][];
      t.asBytes().copyTo(DataBuffers.of(v, false, false));
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TUint8 t) {
      byte[] b = new byte[n];
      t.copyTo(DataBuffers.of(b, false, false));
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = Byte.toUnsignedInt(b[i]);
      }
      return new TensorValue(dtype, shape, v);
    } else if (tensor instanceof TUint16 t) {
      short[] s = new short[n];
      t.copyTo(DataBuffers.of(s, false, false));
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = Short.toUnsignedInt(s[i]);
      }
      return new TensorValue(dtype, shape, v);
    }
    throw new IllegalArgumentException("no Java reader for a " + dtype + " tensor");
  }

  private static float[] readFloats(java.util.function.Consumer<FloatDataBuffer> copy, int n) {
    float[] v = new float[n];
    copy.accept(DataBuffers.of(v, false, false));
    return v;
  }

  private static void requireKind(String dtype, Object data) {
    Class<?> expected =
        switch (dtype) {
          case "DT_FLOAT", "DT_HALF", "DT_BFLOAT16" -> float[].class;
          case "DT_DOUBLE" -> double[].class;
          case "DT_INT32", "DT_UINT8", "DT_UINT16" -> int[].class;
          case "DT_INT64" -> long[].class;
          case "DT_BOOL" -> boolean[].class;
          case "DT_STRING" -> byte[][].class;
          default -> data.getClass();
        };
    if (!expected.isInstance(data)) {
      throw new IllegalArgumentException(
          dtype + " values are held as " + expected.getSimpleName() + ", got " + data.getClass());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorValue v
        && dtype.equals(v.dtype)
        && Arrays.equals(shape, v.shape)
        && Arrays.deepEquals(new Object[] {data}, new Object[] {v.data});
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
  }

  @Override
  public String toString() {
    String values = Arrays.deepToString(new Object[] {data});
    return dtype + Arrays.toString(shape) + values.substring(1, values.length() - 1);
  }
}
