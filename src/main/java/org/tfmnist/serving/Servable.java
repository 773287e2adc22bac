package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * A loaded model as the server sees it: its signatures and a way to run one. The seam between the
 * version lifecycle ({@link ModelManager}, policies, batching) and TensorFlow: {@link
 * SavedModelServable} is the real one; tests of the lifecycle may load a fake.
 */
public interface Servable extends AutoCloseable {
  /** The signatures by key, as the SavedModel declares them (TF's own init marker left out). */
  Map<String, SignatureDef> signatures();

  /**
   * Runs signature {@code key} on {@code inputs} (by alias, already checked by {@link
   * SignatureCheck}) and returns the outputs named in {@code outputs} (by alias), in that order. A
   * request the model refuses (a bad value, a shape its ops reject) is an {@link ApiException} 400.
   */
  Map<String, HostTensor> run(String key, Map<String, HostTensor> inputs, List<String> outputs)
      throws ApiException;

  /** Frees the model once no run is in progress. */
  @Override
  void close();
}
