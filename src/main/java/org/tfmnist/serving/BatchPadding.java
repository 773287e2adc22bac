package org.tfmnist.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * The arithmetic of a batch: requests' inputs merged along the first dimension, padded up to an
 * allowed batch size with copies of a first row (as TF Serving pads), and each request's rows cut
 * back out of the answers. Answers are split by rows only: an output whose other dimensions follow
 * padded inputs comes back at the padded size, as TF Serving's {@code SplitOutputTensors} leaves
 * it.
 */
final class BatchPadding {
  private BatchPadding() {}

  /** The smallest allowed size holding {@code rows}; {@code rows} itself when none are set. */
  static long paddedSize(long rows, List<Integer> allowed) {
    for (int size : allowed) {
      if (size >= rows) {
        return size;
      }
    }
    return rows;
  }

  /**
   * Each input's rows from every request, one after the other, plus {@code pad} padding rows:
   * copies of the first row of the last request, as TF Serving pads. With {@code variableLength}
   * ({@code pad_variable_length_inputs}) each request's tensor is first padded past the first
   * dimension to the largest sizes of the batch ({@link VariableLengthPadding}).
   */
  static Map<String, HostTensor> merge(
      Set<String> aliases, List<Map<String, HostTensor>> requests, long pad, boolean variableLength)
      throws ApiException {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (String alias : aliases) {
      List<HostTensor> parts = new ArrayList<>();
      for (Map<String, HostTensor> r : requests) {
        parts.add(r.get(alias));
      }
      if (variableLength) {
        parts = new ArrayList<>(VariableLengthPadding.padAll(parts));
      }
      if (pad > 0) {
        HostTensor firstRow = lastWithRows(parts).rows(0, 1);
        for (long i = 0; i < pad; i++) {
          parts.add(firstRow);
        }
      }
      out.put(alias, parts.size() == 1 ? parts.get(0) : HostTensor.concat(parts));
    }
    return out;
  }

  /** The last part with a row (TF Serving takes the last request's first row). */
  private static HostTensor lastWithRows(List<HostTensor> parts) {
    for (int i = parts.size() - 1; i > 0; i--) {
      if (parts.get(i).rows() > 0) {
        return parts.get(i);
      }
    }
    return parts.get(0);
  }

  /**
   * Rows {@code from .. from + rows} of every output of a batch of {@code total} rows; an output
   * without that first dimension cannot be split (TF Serving's error).
   */
  static Map<String, HostTensor> slice(
      Map<String, HostTensor> outputs, long from, long rows, long total) throws ApiException {
    Map<String, HostTensor> mine = new LinkedHashMap<>();
    for (Map.Entry<String, HostTensor> e : outputs.entrySet()) {
      HostTensor t = e.getValue();
      if (t.rows() != total) {
        throw new ApiException(
            400,
            "Batched output tensor's 0th dimension does not equal the sum of the 0th dimension"
                + " sizes of the input tensors: output '"
                + e.getKey()
                + "'");
      }
      mine.put(e.getKey(), from == 0 && rows == total ? t : t.rows(from, rows));
    }
    return mine;
  }
}
