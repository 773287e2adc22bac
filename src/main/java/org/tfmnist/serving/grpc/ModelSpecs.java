package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import tensorflow.serving.Model.ModelSpec;

/** Reads TF Serving's {@code ModelSpec}: the model name and the version asked for. */
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

  /**
   * The version asked for, or null for the latest. Labels come from a model config file, which this
   * server does not read yet: none is known (TF Serving's error for an unknown label).
   */
  static Long version(ModelSpec spec) throws StatusException {
    if (spec.hasVersionLabel()) {
      throw GrpcErrors.invalid("Unrecognized servable version label: " + spec.getVersionLabel());
    }
    return spec.hasVersion() ? spec.getVersion().getValue() : null;
  }
}
