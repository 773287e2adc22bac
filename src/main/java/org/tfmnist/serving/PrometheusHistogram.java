package org.tfmnist.serving;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram as TensorFlow's monitoring {@code Sampler} keeps one: fixed bucket limits (a value
 * falls in the first bucket whose limit is above it) and an overflow bucket, written in Prometheus'
 * text format as TF Serving's exporter writes it: cumulative {@code _bucket{le="..."}} lines with
 * the limits printed to six significant digits, then {@code +Inf}, {@code _sum} and {@code _count}.
 * Lock-free.
 */
final class PrometheusHistogram {
  private final double[] limits;
  private final AtomicLongArray buckets;
  private final AtomicLong sum = new AtomicLong();
  private final AtomicLong count = new AtomicLong();

  PrometheusHistogram(double[] limits) {
    this.limits = limits;
    this.buckets = new AtomicLongArray(limits.length);
  }

  /**
   * TensorFlow's {@code monitoring::Buckets::Exponential(scale, growth, count)}: {@code scale},
   * {@code scale * growth}, ... ({@code count} limits, each the previous one times {@code growth}).
   */
  static double[] exponential(double scale, double growth, int count) {
    double[] limits = new double[count];
    double bound = scale;
    for (int i = 0; i < count; i++) {
      limits[i] = bound;
      bound *= growth;
    }
    return limits;
  }

  void observe(long value) {
    for (int i = 0; i < limits.length; i++) {
      if (value < limits[i]) {
        buckets.incrementAndGet(i);
        break;
      }
    }
    sum.addAndGet(value);
    count.incrementAndGet();
  }

  /** Appends this histogram as {@code name} with {@code labels} ("" for none). */
  void write(StringBuilder sb, String name, String labels) {
    String sep = labels.isEmpty() ? "" : labels + ",";
    long cumulative = 0;
    for (int i = 0; i < limits.length; i++) {
      cumulative += buckets.get(i);
      sb.append(name).append("_bucket{").append(sep).append("le=\"");
      sb.append(sixDigits(limits[i])).append("\"} ").append(cumulative).append('\n');
    }
    long n = count.get();
    sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(n).append('\n');
    String plain = labels.isEmpty() ? "" : "{" + labels + "}";
    sb.append(name).append("_sum").append(plain).append(' ').append(sum.get()).append('\n');
    sb.append(name).append("_count").append(plain).append(' ').append(n).append('\n');
  }

  /** A double as C's {@code %g} prints it (six significant digits): "18", "32.4", "1.47476e+09". */
  static String sixDigits(double value) {
    BigDecimal d = new BigDecimal(value).round(new MathContext(6));
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      return String.format(
          Locale.ROOT,
          "%se%s%02d",
          mantissa.toPlainString(),
          exponent < 0 ? "-" : "+",
          Math.abs(exponent));
    }
    return d.stripTrailingZeros().toPlainString();
  }
}
