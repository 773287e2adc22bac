package org.tfmnist.serving;

/** One entry of TF Serving's {@code model_version_status}: a version, its state and its status. */
public record VersionStatus(long version, State state, String errorCode, String errorMessage) {
  /**
   * TF Serving's {@code ModelVersionStatus.State}, the states this server puts a version in; the
   * names are what the REST status and gRPC's {@code GetModelStatus} show.
   */
  public enum State {
    /** Chosen by its policy, waiting for a load thread ({@code --num_load_threads}). */
    START,
    /** Its SavedModel is being loaded and warmed up. */
    LOADING,
    /** It answers requests. */
    AVAILABLE,
    /** Retired: it finishes the requests it holds, then closes. */
    UNLOADING,
    /** Closed, or it failed to load (then with an error code and message). */
    END
  }

  static VersionStatus ok(long version, State state) {
    return new VersionStatus(version, state, "OK", "");
  }
}
