package org.tfmnist.serving;

/** One entry of TF Serving's {@code model_version_status}: a version, its state and its status. */
public record VersionStatus(long version, String state, String errorCode, String errorMessage) {
  static VersionStatus ok(long version, String state) {
    return new VersionStatus(version, state, "OK", "");
  }
}
