package org.tfmnist.serving.tensor;

import java.util.Locale;
import org.tensorflow.proto.DataType;

/**
 * The dtypes a served tensor may have, with their size in bytes and TF's short name. Numbers are
 * held little-endian, as TF's {@code tensor_content} and x86 memory hold them; 16-bit floats keep
 * their bits (IEEE half, or bfloat16: the upper half of a float32).
 */
public enum DType {
  FLOAT(DataType.DT_FLOAT, 4),
  DOUBLE(DataType.DT_DOUBLE, 8),
  HALF(DataType.DT_HALF, 2),
  BFLOAT16(DataType.DT_BFLOAT16, 2),
  INT8(DataType.DT_INT8, 1),
  INT16(DataType.DT_INT16, 2),
  INT32(DataType.DT_INT32, 4),
  INT64(DataType.DT_INT64, 8),
  UINT8(DataType.DT_UINT8, 1),
  UINT16(DataType.DT_UINT16, 2),
  UINT32(DataType.DT_UINT32, 4),
  UINT64(DataType.DT_UINT64, 8),
  BOOL(DataType.DT_BOOL, 1),
  STRING(DataType.DT_STRING, 0);

  private final DataType proto;
  private final int size;

  DType(DataType proto, int size) {
    this.proto = proto;
    this.size = size;
  }

  /** TF's enum value. */
  public DataType proto() {
    return proto;
  }

  /** Bytes per element; 0 for strings (held as byte arrays). */
  public int size() {
    return size;
  }

  /** Whether values are floating point (float, double, half, bfloat16). */
  public boolean floating() {
    return this == FLOAT || this == DOUBLE || this == HALF || this == BFLOAT16;
  }

  /**
   * Whether integer {@code v} is a value of this dtype: int8 to int32, uint8 to uint32 within their
   * range; int64, uint64 (whose values past 2^63 - 1 a long holds as their bits) and the other
   * dtypes any long.
   */
  public boolean holds(long v) {
    return switch (this) {
      case INT8 -> v == (byte) v;
      case INT16 -> v == (short) v;
      case INT32 -> v == (int) v;
      case UINT8 -> (v & ~0xffL) == 0;
      case UINT16 -> (v & ~0xffffL) == 0;
      case UINT32 -> (v & ~0xffffffffL) == 0;
      default -> true;
    };
  }

  /** TF's short name, as its error messages write it: {@code float}, {@code int64}. */
  public String tfName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The dtype of {@code type}, or null where serving has none (resources, variants, complex). */
  public static DType of(DataType type) {
    for (DType d : values()) {
      if (d.proto == type) {
        return d;
      }
    }
    return null;
  }

  /** TF's short name of any proto dtype ({@code DT_FLOAT}: {@code float}). */
  public static String tfName(DataType type) {
    return type.name().replaceFirst("^DT_", "").toLowerCase(Locale.ROOT);
  }
}
