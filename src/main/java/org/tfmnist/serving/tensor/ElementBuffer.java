package org.tfmnist.serving.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fills the elements of a numeric {@link HostTensor} one by one, converting each value to the dtype
 * as TF's own casts do (integers wrap, floats round to nearest).
 */
final class ElementBuffer {
  private final DType dtype;
  private final ByteBuffer bytes;

  ElementBuffer(DType dtype, int elements) {
    this.dtype = dtype;
    this.bytes =
        ByteBuffer.allocate(Math.multiplyExact(elements, dtype.size()))
            .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Element {@code i} from a floating-point value. */
  void setDouble(int i, double v) {
    int at = i * dtype.size();
    switch (dtype) {
      case FLOAT -> bytes.putFloat(at, (float) v);
      case DOUBLE -> bytes.putDouble(at, v);
      case HALF -> bytes.putShort(at, (short) HalfFloats.floatToHalf((float) v));
      case BFLOAT16 -> bytes.putShort(at, (short) HalfFloats.floatToBfloat16((float) v));
      case BOOL -> bytes.put(at, (byte) (v != 0 ? 1 : 0));
      default -> setLong(i, (long) v);
    }
  }

  /** Element {@code i} from an integer value. */
  void setLong(int i, long v) {
    int at = i * dtype.size();
    switch (dtype) {
      case INT8, UINT8 -> bytes.put(at, (byte) v);
      case BOOL -> bytes.put(at, (byte) (v != 0 ? 1 : 0));
      case INT16, UINT16 -> bytes.putShort(at, (short) v);
      case INT32, UINT32 -> bytes.putInt(at, (int) v);
      case INT64, UINT64 -> bytes.putLong(at, v);
      default -> setDouble(i, v);
    }
  }

  /** Element {@code i} as the 16 bits of a half or bfloat16, kept as they are. */
  void setBits16(int i, int bits) {
    bytes.putShort(i * dtype.size(), (short) bits);
  }

  /** The tensor of {@code shape} these elements make. */
  HostTensor tensor(long[] shape) {
    return HostTensor.numeric(dtype, shape, bytes.array());
  }
}
