package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.inference.Prediction;
import org.tfmnist.model.MnistShape;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictTensors;

/**
 * TF Serving's Predict tensors for the {@link ServingSignature} contract over gRPC: requests are
 * decoded by {@link PredictTensors} (its refusals become TF Serving's INVALID_ARGUMENT). Answers
 * are {@code probabilities} DT_FLOAT [n, 10] in {@code float_val} and {@code classes} DT_INT64 [n]
 * in {@code int64_val}.
 */
final class TensorCodec {
  private static final List<String> OUTPUTS =
      List.of(ServingSignature.OUTPUT_CLASSES, ServingSignature.OUTPUT_PROBABILITIES);

  private TensorCodec() {}

  /** The images of a Predict request on {@code signature}, at most {@code maxImages} of them. */
  static PredictRequest decode(String signature, Map<String, TensorProto> inputs, int maxImages)
      throws StatusException {
    try {
      return PredictTensors.decode(signature, inputs, maxImages);
    } catch (ApiException e) {
      throw GrpcErrors.of(e);
    }
  }

  /** The outputs asked for ({@code filter} empty: all), checked as TF Serving checks them. */
  static List<String> outputs(List<String> filter) throws StatusException {
    if (filter.isEmpty()) {
      return OUTPUTS;
    }
    for (int i = 0; i < filter.size(); i++) {
      String alias = filter.get(i);
      if (!OUTPUTS.contains(alias)) {
        throw GrpcErrors.invalid(
            "output tensor alias not found in signature: "
                + alias
                + " Outputs expected to be in the set {"
                + String.join(",", OUTPUTS)
                + "}.");
      }
      if (filter.subList(0, i).contains(alias)) {
        throw GrpcErrors.invalid("duplicate output tensor alias: " + alias);
      }
    }
    return filter;
  }

  /** The output {@code alias} of {@code predictions} as a TensorProto. */
  static TensorProto encode(String alias, Prediction[] predictions) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(predictions.length));
    TensorProto.Builder t = TensorProto.newBuilder();
    if (alias.equals(ServingSignature.OUTPUT_CLASSES)) {
      t.setDtype(DataType.DT_INT64);
      for (Prediction p : predictions) {
        t.addInt64Val(p.digit());
      }
    } else {
      t.setDtype(DataType.DT_FLOAT);
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(MnistShape.CLASSES));
      for (Prediction p : predictions) {
        for (float f : p.probabilities()) {
          t.addFloatVal(f);
        }
      }
    }
    return t.setTensorShape(shape).build();
  }
}
