package org.tfmnist.serving.tensor;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A predict answer as TF Serving's REST API writes it: row format {@code {"predictions": [...]}}
 * (one entry per example: its value when there is one output, an object of named values when there
 * are several) and columnar format {@code {"outputs": ...}} (the value, or an object of named
 * values). Strings are written as text, or as {@code {"b64": "..."}} when the output's alias ends
 * in {@code _bytes}; 16-bit floats as numbers; NaN and infinities as TF Serving writes them.
 */
public final class JsonTensorWriter {
  private JsonTensorWriter() {}

  /** Outputs that cannot be written in row format (400). */
  public static final class RowFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    RowFormatException(String message) {
      super(message);
    }
  }

  /** The answer's JSON text in the format of the request. */
  public static String write(Map<String, HostTensor> outputs, boolean rows)
      throws RowFormatException {
    StringBuilder out = new StringBuilder(64 + 12 * totalSize(outputs));
    if (rows) {
      predictions(out, outputs);
    } else {
      out.append("{\"outputs\": ");
      if (outputs.size() == 1) {
        Map.Entry<String, HostTensor> only = outputs.entrySet().iterator().next();
        value(out, only.getValue(), only.getKey(), 0, 0);
      } else {
        named(out, outputs, -1);
      }
      out.append('}');
    }
    return out.toString();
  }

  private static int totalSize(Map<String, HostTensor> outputs) {
    return outputs.values().stream().mapToInt(HostTensor::size).sum();
  }

  private static void predictions(StringBuilder out, Map<String, HostTensor> outputs)
      throws RowFormatException {
    long n = -1;
    for (Map.Entry<String, HostTensor> e : outputs.entrySet()) {
      long rows = e.getValue().rows();
      if (rows < 0 || (n >= 0 && rows != n)) {
        throw new RowFormatException(
            "Tensor name: "
                + e.getKey()
                + " has inconsistent batch size: "
                + Math.max(rows, 0)
                + " expecting: "
                + (n < 0 ? rows : n)
                + " (write the request in columnar format, \"inputs\", to get such outputs)");
      }
      n = rows;
    }
    out.append("{\"predictions\": [");
    for (long i = 0; i < n; i++) {
      if (i > 0) {
        out.append(", ");
      }
      if (outputs.size() == 1) {
        Map.Entry<String, HostTensor> only = outputs.entrySet().iterator().next();
        row(out, only.getValue(), only.getKey(), i);
      } else {
        named(out, outputs, i);
      }
    }
    out.append("]}");
  }

  /** {"alias": value, ...}: whole tensors ({@code row} -1) or one row of each. */
  private static void named(StringBuilder out, Map<String, HostTensor> outputs, long row) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, HostTensor> e : outputs.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      string(out, e.getKey());
      out.append(": ");
      if (row < 0) {
        value(out, e.getValue(), e.getKey(), 0, 0);
      } else {
        row(out, e.getValue(), e.getKey(), row);
      }
    }
    out.append('}');
  }

  private static void row(StringBuilder out, HostTensor t, String alias, long row) {
    int per = t.rows() == 0 ? 0 : t.size() / (int) t.rows();
    value(out, t, alias, 1, (int) row * per);
  }

  /** The sub-tensor from dimension {@code dim} on, starting at element {@code at}. */
  private static void value(StringBuilder out, HostTensor t, String alias, int dim, int at) {
    long[] shape = t.shape();
    if (dim == shape.length) {
      element(out, t, alias, at);
      return;
    }
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= (int) shape[d];
    }
    out.append('[');
    for (int i = 0; i < shape[dim]; i++) {
      if (i > 0) {
        out.append(", ");
      }
      value(out, t, alias, dim + 1, at + i * stride);
    }
    out.append(']');
  }

  private static void element(StringBuilder out, HostTensor t, String alias, int i) {
    switch (t.dtype()) {
      case STRING -> {
        if (alias.endsWith("_bytes")) {
          out.append("{\"b64\": \"")
              .append(Base64.getEncoder().encodeToString(t.bytesAt(i)))
              .append("\"}");
        } else {
          string(out, new String(t.bytesAt(i), StandardCharsets.UTF_8));
        }
      }
      case BOOL -> out.append(t.longAt(i) != 0);
      case FLOAT, HALF, BFLOAT16 -> floating(out, (float) t.doubleAt(i));
      case DOUBLE -> floating(out, t.doubleAt(i));
      case UINT64 -> out.append(Long.toUnsignedString(t.longAt(i)));
      default -> out.append(t.longAt(i));
    }
  }

  private static void floating(StringBuilder out, float v) {
    if (Float.isNaN(v) || Float.isInfinite(v)) {
      out.append(Float.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      out.append((long) v).append(".0");
    } else {
      out.append(v);
    }
  }

  private static void floating(StringBuilder out, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      out.append(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    } else {
      out.append(v);
    }
  }

  /** A JSON string literal. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
