package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;

/**
 * A Predict request's and answer's tensors over gRPC: {@link TensorProtos} of any dtype and shape;
 * a proto TF would refuse is INVALID_ARGUMENT naming its alias, as TF Serving's "tensor parsing
 * error".
 */
final class TensorCodec {
  private TensorCodec() {}

  /** The input tensors of a request, by alias. */
  static Map<String, HostTensor> decode(Map<String, TensorProto> inputs) throws StatusException {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorProto> e : inputs.entrySet()) {
      try {
        out.put(e.getKey(), TensorProtos.decode(e.getValue()));
      } catch (TensorProtos.BadTensorException bad) {
        throw GrpcErrors.invalid(
            "tensor parsing error: " + e.getKey() + " (" + bad.getMessage() + ")");
      }
    }
    return out;
  }

  /** The answer's tensors as protos, by alias. */
  static Map<String, TensorProto> encode(Map<String, HostTensor> outputs) {
    Map<String, TensorProto> out = new LinkedHashMap<>();
    outputs.forEach((alias, t) -> out.put(alias, TensorProtos.encode(t)));
    return out;
  }
}
