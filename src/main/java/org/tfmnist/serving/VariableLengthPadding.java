package org.tfmnist.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * TF Serving's {@code pad_variable_length_inputs} (tensorflow_serving/batching/batching_util.cc):
 * the tensors one input takes from the requests of a batch are padded, each at the end of every
 * dimension past the first, up to the largest size of that dimension in the batch, with the
 * tensor's own first element ({@code AddPadding}); the first dimension is left as it is.
 */
final class VariableLengthPadding {
  /** TF Serving pads tensors of rank 1 to 6 only (as TensorFlow's Pad op). */
  static final int MAX_RANK = 6;

  private VariableLengthPadding() {}

  /**
   * Whether {@code other} can be padded into a batch with {@code first}: the same dtype and rank,
   * and either the same shape past the first dimension or a rank of at most 6 and no dimension of
   * size 0 past the first in either. TF Serving fails the whole batch in those last cases ("Got
   * empty tensor in batch of non-empty tensors", "Only tensors with rank from 1 to 6 can be
   * padded"); here such a request waits for a batch of its own shape instead.
   */
  static boolean compatible(HostTensor first, HostTensor other) {
    if (first.sameRowShape(other)) {
      return true;
    }
    return first.dtype() == other.dtype()
        && first.rank() == other.rank()
        && first.rank() >= 1
        && first.rank() <= MAX_RANK
        && !emptyRows(first)
        && !emptyRows(other);
  }

  private static boolean emptyRows(HostTensor t) {
    long[] s = t.shape();
    for (int d = 1; d < s.length; d++) {
      if (s[d] == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code parts} (of one input, {@link #compatible}) each padded to the largest sizes; a 400 if
   * their concatenation would not fit a Java array.
   */
  static List<HostTensor> padAll(List<HostTensor> parts) throws ApiException {
    long[] max = parts.get(0).shape();
    max[0] = 0;
    for (HostTensor t : parts) {
      long[] s = t.shape();
      max[0] += s[0];
      for (int d = 1; d < max.length; d++) {
        max[d] = Math.max(max[d], s[d]);
      }
    }
    elements(max, Math.max(1, parts.get(0).dtype().size())); // the merged input fits
    List<HostTensor> out = new ArrayList<>(parts.size());
    for (HostTensor t : parts) {
      out.add(padTo(t, max));
    }
    return out;
  }

  /** {@code t} padded to {@code max} past the first dimension, with its first element. */
  static HostTensor padTo(HostTensor t, long[] max) throws ApiException {
    long[] from = t.shape();
    long[] to = max.clone();
    to[0] = from[0];
    if (Arrays.equals(from, to) || t.size() == 0) {
      return Arrays.equals(from, to) ? t : reshapedEmpty(t, to);
    }
    int n = elements(to, Math.max(1, t.dtype().size()));
    if (t.stringValues() != null) {
      byte[][] src = t.stringValues();
      byte[][] dst = new byte[n][];
      Arrays.fill(dst, src[0]);
      forEachLine(from, to, (a, b, len) -> System.arraycopy(src, a, dst, b, len));
      return HostTensor.strings(to, dst);
    }
    int size = t.dtype().size();
    byte[] src = t.data();
    byte[] dst = new byte[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, 0, dst, i * size, size);
    }
    forEachLine(
        from, to, (a, b, len) -> System.arraycopy(src, a * size, dst, b * size, len * size));
    return HostTensor.numeric(t.dtype(), to, dst);
  }

  /** A tensor of no rows keeps no values: only its shape grows (TF Serving reshapes it). */
  private static HostTensor reshapedEmpty(HostTensor t, long[] to) {
    return t.stringValues() != null
        ? HostTensor.strings(to, new byte[0][])
        : HostTensor.numeric(t.dtype(), to, new byte[0]);
  }

  private static int elements(long[] shape, int elementSize) throws ApiException {
    try {
      return Math.toIntExact(Math.multiplyExact(HostTensor.elements(shape), elementSize))
          / elementSize;
    } catch (ArithmeticException e) {
      throw new ApiException(
          400, "Padding variable-length inputs to " + Arrays.toString(shape) + " is too large");
    }
  }

  /** Copies {@code len} elements from {@code from} (source index) to {@code to} (target). */
  private interface LineCopy {
    void copy(int from, int to, int len);
  }

  /**
   * Calls {@code copy} for every innermost line of a row-major tensor of shape {@code from}, with
   * the index where that line starts in a tensor of shape {@code to} (each dimension as large).
   */
  private static void forEachLine(long[] from, long[] to, LineCopy copy) {
    int r = from.length;
    int line = (int) from[r - 1];
    long lines = HostTensor.elements(from) / line;
    long[] stride = new long[r];
    stride[r - 1] = 1;
    for (int d = r - 2; d >= 0; d--) {
      stride[d] = stride[d + 1] * to[d + 1];
    }
    long[] index = new long[r]; // the line's index in every dimension but the last
    for (long l = 0; l < lines; l++) {
      long target = 0;
      for (int d = 0; d < r - 1; d++) {
        target += index[d] * stride[d];
      }
      copy.copy((int) (l * line), (int) target, line);
      for (int d = r - 2; d >= 0 && ++index[d] == from[d]; d--) {
        index[d] = 0;
      }
    }
  }
}
