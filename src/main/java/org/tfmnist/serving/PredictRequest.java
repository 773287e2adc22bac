package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * A Predict request as every protocol hands it over: the signature asked for, the input tensors by
 * alias, the outputs to answer ({@code outputFilter} empty: all), and whether a REST body came in
 * row format ({@code instances}) rather than columnar ({@code inputs}), which shapes its answer.
 */
public record PredictRequest(
    String signature, Map<String, HostTensor> inputs, List<String> outputFilter, boolean rows) {
  /** A request for every output, in columnar form. */
  public static PredictRequest of(String signature, Map<String, HostTensor> inputs) {
    return new PredictRequest(signature, inputs, List.of(), false);
  }

  /** Bytes the inputs hold, for memory accounting. */
  public long byteSize() {
    return inputs.values().stream().mapToLong(HostTensor::byteSize).sum();
  }
}
