package org.tfmnist.serving.tensor;

/**
 * Conversions between float and the two 16-bit floats TF serves: IEEE 754 half ({@code DT_HALF})
 * and bfloat16 (the upper 16 bits of a float32), both rounded to nearest, ties to even, as TF's own
 * conversions round.
 */
final class HalfFloats {
  private HalfFloats() {}

  /** The float a half's 16 bits hold. */
  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) { // inf or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero)
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** A float's nearest half, as 16 bits. */
  static int floatToHalf(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int abs = f & 0x7fffffff;
    if (abs >= 0x7f800000) { // inf or NaN
      return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);
    }
    if (abs >= 0x477ff000) { // rounds to beyond 65504: inf
      return sign | 0x7c00;
    }
    if (abs < 0x38800000) { // below the smallest normal half: a multiple of 2^-24, ties to even
      return sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24);
    }
    int rounded = abs + 0xfff + ((abs >>> 13) & 1); // round to nearest even on the 13 dropped bits
    return sign | ((rounded - (112 << 23)) >>> 13);
  }

  /** The float a bfloat16's 16 bits hold. */
  static float bfloat16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** A float's nearest bfloat16, as 16 bits (NaN stays NaN). */
  static int floatToBfloat16(float value) {
    int f = Float.floatToRawIntBits(value);
    if ((f & 0x7fffffff) > 0x7f800000) {
      return ((f >>> 16) | 0x40) & 0xffff;
    }
    return ((f + 0x7fff + ((f >>> 16) & 1)) >>> 16) & 0xffff;
  }
}
