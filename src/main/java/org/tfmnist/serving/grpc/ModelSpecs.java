package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import org.tfmnist.serving.PredictService;
import tensorflow.serving.Model.ModelSpec;

/** Reads TF Serving's {@code ModelSpec}: the model name and the version or label asked for. */
final class ModelSpecs {
  private ModelSpecs() {}

  /** The model's name; TF Serving's INVALID_ARGUMENT when the spec or its name is missing. */
  static String name(boolean hasSpec, ModelSpec spec) throws StatusException {
    if (!hasSpec) {
      throw GrpcErrors.invalid("Missing ModelSpec");
    }
    if (spec.getName().isEmpty()) {
      throw GrpcErrors.invalid("Missing model name in request.");
    }
    return spec.getName();
  }

  /** The version asked for, or null (a label, or the latest). */
  static Long version(ModelSpec spec) {
    return spec.hasVersion() ? spec.getVersion().getValue() : null;
  }

  /** The version label asked for ({@code version_label}: stable, canary, ...), or null. */
  static String label(ModelSpec spec) {
    return spec.hasVersionLabel() ? spec.getVersionLabel() : null;
  }

  /** The model, version or label a request names; INVALID_ARGUMENT without a name. */
  static PredictService.Target target(boolean hasSpec, ModelSpec spec) throws StatusException {
    return new PredictService.Target(name(hasSpec, spec), version(spec), label(spec), "GRPC");
  }
}
