package org.tfmnist.serving.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor in host memory, of any {@link DType} and rank: numbers as little-endian bytes (the
 * layout of TF's {@code tensor_content} and of a TF tensor's buffer on x86), strings as one byte
 * array per element. Immutable by convention: nothing changes its arrays after it is made. Rows are
 * the slices along the first dimension, the unit that batching merges and splits.
 */
public final class HostTensor {
  private final DType dtype;
  private final long[] shape;
  private final byte[] data; // numbers; null for strings
  private final byte[][] strings; // strings; null for numbers

  private HostTensor(DType dtype, long[] shape, byte[] data, byte[][] strings) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
    this.strings = strings;
  }

  /** A numeric tensor over {@code data} (little-endian, {@code dtype.size()} bytes an element). */
  public static HostTensor numeric(DType dtype, long[] shape, byte[] data) {
    if (dtype == DType.STRING) {
      throw new IllegalArgumentException("strings are held as byte arrays");
    }
    long n = elements(shape);
    if (n * dtype.size() != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype.tfName()
              + " needs "
              + n * dtype.size()
              + " bytes, got "
              + data.length);
    }
    return new HostTensor(dtype, shape, data, null);
  }

  /** A string tensor, one byte array per element. */
  public static HostTensor strings(long[] shape, byte[][] values) {
    if (elements(shape) != values.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " needs "
              + elements(shape)
              + " strings, got "
              + values.length);
    }
    return new HostTensor(DType.STRING, shape, null, values);
  }

  /** A float32 tensor of {@code values}. */
  public static HostTensor floats(long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return numeric(DType.FLOAT, shape, b.array());
  }

  /** The number of elements of {@code shape} (1 for a scalar). */
  public static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("unknown dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public DType dtype() {
    return dtype;
  }

  /** The shape (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int size() {
    return (int) elements(shape);
  }

  /** The bytes of a numeric tensor, little-endian; the caller must not change them. */
  public byte[] data() {
    return data;
  }

  /** The elements of a string tensor; the caller must not change them. */
  public byte[][] stringValues() {
    return strings;
  }

  /** Bytes this tensor holds, for memory accounting. */
  public long byteSize() {
    if (strings == null) {
      return data.length;
    }
    long n = 16L * strings.length;
    for (byte[] s : strings) {
      n += s.length;
    }
    return n;
  }

  /** Rows along the first dimension; a scalar has none (-1). */
  public long rows() {
    return shape.length == 0 ? -1 : shape[0];
  }

  /** Whether {@code other} has the same dtype and the same shape past the first dimension. */
  public boolean sameRowShape(HostTensor other) {
    return dtype == other.dtype
        && shape.length > 0
        && other.shape.length == shape.length
        && Arrays.equals(shape, 1, shape.length, other.shape, 1, shape.length);
  }

  private long rowElements() {
    return shape[0] == 0 ? elements(Arrays.copyOfRange(shape, 1, shape.length)) : size() / shape[0];
  }

  /** Rows {@code from} to {@code from + count} (exclusive) as a tensor of their own. */
  public HostTensor rows(long from, long count) {
    long[] s = shape();
    s[0] = count;
    int per = (int) rowElements();
    int a = (int) from * per;
    int b = (int) (from + count) * per;
    if (strings != null) {
      return strings(s, Arrays.copyOfRange(strings, a, b));
    }
    return numeric(dtype, s, Arrays.copyOfRange(data, a * dtype.size(), b * dtype.size()));
  }

  /** The tensors' rows one after the other: same dtype and row shape required. */
  public static HostTensor concat(List<HostTensor> parts) {
    HostTensor first = parts.get(0);
    long total = 0;
    for (HostTensor t : parts) {
      if (!t.sameRowShape(first)) {
        throw new IllegalArgumentException("tensors differ past the first dimension");
      }
      total += t.shape[0];
    }
    long[] s = first.shape();
    s[0] = total;
    if (first.strings != null) {
      byte[][] out = new byte[(int) elements(s)][];
      int at = 0;
      for (HostTensor t : parts) {
        System.arraycopy(t.strings, 0, out, at, t.strings.length);
        at += t.strings.length;
      }
      return strings(s, out);
    }
    byte[] out = new byte[Math.toIntExact(elements(s) * first.dtype.size())];
    int at = 0;
    for (HostTensor t : parts) {
      System.arraycopy(t.data, 0, out, at, t.data.length);
      at += t.data.length;
    }
    return numeric(first.dtype, s, out);
  }

  /** Element {@code i} (row-major) as a double: any numeric dtype, bool as 0 or 1. */
  public double doubleAt(int i) {
    return switch (dtype) {
      case FLOAT -> Float.intBitsToFloat(intAt(i * 4));
      case DOUBLE -> Double.longBitsToDouble(longAt8(i * 8));
      case HALF -> HalfFloats.halfToFloat(shortAt(i * 2) & 0xffff);
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(shortAt(i * 2) & 0xffff);
      default -> longAt(i);
    };
  }

  /** Element {@code i} as a long: integers (unsigned ones without sign), bool as 0 or 1. */
  public long longAt(int i) {
    return switch (dtype) {
      case INT8 -> data[i];
      case UINT8, BOOL -> data[i] & 0xff;
      case INT16 -> shortAt(i * 2);
      case UINT16 -> shortAt(i * 2) & 0xffff;
      case INT32 -> intAt(i * 4);
      case UINT32 -> intAt(i * 4) & 0xffffffffL;
      case INT64, UINT64 -> longAt8(i * 8);
      case FLOAT, DOUBLE, HALF, BFLOAT16 -> (long) doubleAt(i);
      case STRING -> throw new IllegalStateException("a string tensor has no numbers");
    };
  }

  /** Element {@code i} of a string tensor. */
  public byte[] bytesAt(int i) {
    return strings[i];
  }

  private short shortAt(int at) {
    return (short) ((data[at] & 0xff) | (data[at + 1] << 8));
  }

  private int intAt(int at) {
    return (data[at] & 0xff)
        | (data[at + 1] & 0xff) << 8
        | (data[at + 2] & 0xff) << 16
        | (data[at + 3] & 0xff) << 24;
  }

  private long longAt8(int at) {
    return (intAt(at) & 0xffffffffL) | ((long) intAt(at + 4) << 32);
  }

  @Override
  public String toString() {
    return dtype.tfName() + Arrays.toString(shape);
  }
}
