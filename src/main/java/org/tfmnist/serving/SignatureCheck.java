package org.tfmnist.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.serving.tensor.DType;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;

/**
 * Checks a request against the signature it names before anything runs, with TF Serving's messages:
 * the signature exists, the inputs are exactly the signature's aliases, each has the declared dtype
 * and a shape the declared one admits (-1: any size), and the output filter names only outputs. All
 * failures are 400.
 */
public final class SignatureCheck {
  private SignatureCheck() {}

  /** The signature {@code key} of {@code servable}, or TF Serving's 400 naming it. */
  public static SignatureDef signature(Servable servable, String key) throws ApiException {
    SignatureDef def = servable.signatures().get(key);
    if (def == null) {
      throw new ApiException(
          400, "Serving signature name: \"" + key + "\" not found in signature def");
    }
    return def;
  }

  /** Checks the inputs' aliases, dtypes and shapes against {@code def}. */
  public static void inputs(SignatureDef def, Map<String, HostTensor> inputs) throws ApiException {
    Map<String, TensorInfo> declared = def.getInputsMap();
    if (!declared.keySet().equals(inputs.keySet())) {
      throw mismatch(declared.keySet(), inputs.keySet());
    }
    int i = 0;
    for (Map.Entry<String, TensorInfo> e : new java.util.TreeMap<>(declared).entrySet()) {
      HostTensor t = inputs.get(e.getKey());
      TensorInfo info = e.getValue();
      if (t.dtype().proto() != info.getDtype()) {
        throw new ApiException(
            400,
            "Expects arg["
                + i
                + "] to be "
                + DType.tfName(info.getDtype())
                + " but "
                + t.dtype().tfName()
                + " is provided");
      }
      long[] want = TensorProtos.shape(info.getTensorShape());
      if (want != null && !admits(want, t.shape())) {
        throw new ApiException(
            400,
            "input '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(t.shape())
                + "; the signature expects "
                + Arrays.toString(want)
                + " (-1: any size)");
      }
      i++;
    }
  }

  private static boolean admits(long[] want, long[] have) {
    if (want.length != have.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (want[i] >= 0 && want[i] != have[i]) {
        return false;
      }
    }
    return true;
  }

  private static ApiException mismatch(java.util.Set<String> declared, java.util.Set<String> sent) {
    List<String> extra = new ArrayList<>(new TreeSet<>(sent));
    extra.removeAll(declared);
    List<String> missing = new ArrayList<>(new TreeSet<>(declared));
    missing.removeAll(sent);
    return new ApiException(
        400,
        "input size does not match signature: "
            + sent.size()
            + "!="
            + declared.size()
            + " len({"
            + String.join(",", new TreeSet<>(sent))
            + "}) != len({"
            + String.join(",", new TreeSet<>(declared))
            + "}). Sent extra: {"
            + String.join(",", extra)
            + "}. Missing but required: {"
            + String.join(",", missing)
            + "}.");
  }

  /**
   * The outputs to answer: {@code filter} when not empty (each must be an output alias), else every
   * output of {@code def}, sorted by alias.
   */
  public static List<String> outputs(SignatureDef def, List<String> filter) throws ApiException {
    if (filter.isEmpty()) {
      return new ArrayList<>(new TreeSet<>(def.getOutputsMap().keySet()));
    }
    for (String alias : filter) {
      if (!def.getOutputsMap().containsKey(alias)) {
        throw new ApiException(
            400,
            "output tensor alias not found in signature: "
                + alias
                + " Outputs expected to be in the set {"
                + String.join(",", new TreeSet<>(def.getOutputsMap().keySet()))
                + "}.");
      }
    }
    if (new TreeSet<>(filter).size() != filter.size()) {
      throw new ApiException(400, "duplicate output tensor alias in output_filter");
    }
    return List.copyOf(filter);
  }
}
