package org.tfmnist.serving.tensor;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.tfmnist.serving.tensor.JsonTensorReader.BadJsonException;

/**
 * One JSON value of a REST body as an element of a tensor of a given dtype, as TF Serving reads it:
 * numbers for the numeric dtypes (for integer dtypes only integers within the dtype's range, never
 * wrapped; NaN and Infinity for floats), true/false for bool, text or {@code {"b64": ...}} for
 * strings; and where in the body an element was, for the message when it is none of these.
 */
final class JsonValues {
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal UINT64_MAX =
      new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

  private JsonValues() {}

  /** Where element {@code i} of a tensor of {@code dims} was in the body, e.g. instances[3][17]. */
  static String where(String at, long[] dims, int i, boolean stacked) {
    StringBuilder index = new StringBuilder();
    long rest = i;
    for (int d = dims.length - 1; d >= 0; d--) {
      long size = Math.max(dims[d], 1);
      index.insert(0, "[" + rest % size + "]");
      rest /= size;
    }
    if (stacked && at.startsWith("instances[*].")) { // a named input: instances[i].name[...]
      int close = index.indexOf("]") + 1;
      return "instances"
          + index.substring(0, close)
          + at.substring("instances[*]".length())
          + index.substring(close);
    }
    return at + index;
  }

  static void number(
      ElementBuffer out,
      int i,
      JsonElement e,
      DType dtype,
      String base,
      long[] dims,
      boolean stacked)
      throws BadJsonException {
    // where() is built only for an error: it costs more than the number itself
    JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
    if (dtype == DType.BOOL) {
      if (p == null || !p.isBoolean()) {
        throw notOfType(e, dtype, where(base, dims, i, stacked));
      }
      out.setLong(i, p.getAsBoolean() ? 1 : 0);
      return;
    }
    if (p == null || !(p.isNumber() || isSpecialFloat(p, dtype))) {
      throw notOfType(e, dtype, where(base, dims, i, stacked));
    }
    if (dtype.floating()) {
      out.setDouble(i, p.isNumber() ? p.getAsDouble() : Double.parseDouble(p.getAsString()));
      return;
    }
    BigDecimal v;
    try {
      v = p.getAsBigDecimal();
    } catch (NumberFormatException tooLarge) { // Gson refuses exponents past 10,000
      throw notOfType(e, dtype, where(base, dims, i, stacked));
    }
    boolean unsigned64 = dtype == DType.UINT64;
    if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0 // not an integer
        || v.compareTo(unsigned64 ? BigDecimal.ZERO : LONG_MIN) < 0
        || v.compareTo(unsigned64 ? UINT64_MAX : LONG_MAX) > 0) {
      throw notOfType(e, dtype, where(base, dims, i, stacked));
    }
    long bits = v.toBigIntegerExact().longValue(); // uint64 past 2^63 - 1: its bits
    if (!dtype.holds(bits)) {
      throw notOfType(
          e, dtype, where(base, dims, i, stacked)); // out of range: refused, never wrapped
    }
    out.setLong(i, bits);
  }

  /**
   * NaN and Infinity, which TF Serving reads for float tensors (as a lenient parser gives them).
   */
  private static boolean isSpecialFloat(JsonPrimitive p, DType dtype) {
    if (!dtype.floating() || !p.isString()) {
      return false;
    }
    String s = p.getAsString();
    return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
  }

  static byte[] bytes(JsonElement e, String at) throws BadJsonException {
    if (isB64(e)) {
      JsonElement v = e.getAsJsonObject().get("b64");
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw new BadJsonException(at + ": 'b64' must be a string");
      }
      try {
        return Base64.getDecoder().decode(v.getAsString());
      } catch (IllegalArgumentException bad) {
        throw new BadJsonException(at + ": Unable to base64 decode: " + bad.getMessage());
      }
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw notOfType(e, DType.STRING, at);
    }
    return e.getAsString().getBytes(StandardCharsets.UTF_8);
  }

  private static BadJsonException notOfType(JsonElement e, DType dtype, String at) {
    return new BadJsonException(
        "JSON Value: "
            + e
            + " Type: "
            + typeName(e)
            + " is not of expected type: "
            + dtype.tfName()
            + " (at "
            + at
            + ")");
  }

  private static String typeName(JsonElement e) {
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      return p.isBoolean() ? "Bool" : p.isNumber() ? "Number" : "String";
    }
    return e.isJsonObject() ? "Object" : e.isJsonArray() ? "Array" : "Null";
  }

  private static boolean isB64(JsonElement e) {
    return e.isJsonObject() && e.getAsJsonObject().size() == 1 && e.getAsJsonObject().has("b64");
  }
}
