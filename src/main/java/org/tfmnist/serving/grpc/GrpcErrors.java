package org.tfmnist.serving.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import org.tfmnist.serving.ApiException;

/**
 * TF Serving's errors as gRPC statuses: the same canonical code TF Serving answers, and its text.
 */
final class GrpcErrors {
  private static final java.util.regex.Pattern UNKNOWN_SIGNATURE =
      java.util.regex.Pattern.compile(
          "Serving signature name: \"(.*)\" not found in signature def");

  private GrpcErrors() {}

  /** The gRPC status for a refusal the serving layer words with an HTTP status. */
  static StatusException of(ApiException e) {
    java.util.regex.Matcher unknown = UNKNOWN_SIGNATURE.matcher(e.getMessage());
    if (unknown.matches()) { // TF Serving's gRPC words this one differently from its REST API
      return Status.FAILED_PRECONDITION
          .withDescription("Serving signature key \"" + unknown.group(1) + "\" not found.")
          .asException();
    }
    Status code =
        switch (e.status) {
          case 400, 413 -> Status.INVALID_ARGUMENT;
          case 404 -> Status.NOT_FOUND;
          case 429 -> Status.RESOURCE_EXHAUSTED;
          case 501 -> Status.UNIMPLEMENTED;
          case 503 -> Status.UNAVAILABLE;
          case 504 -> Status.DEADLINE_EXCEEDED;
          case 500 -> Status.INTERNAL;
          default -> Status.UNKNOWN;
        };
    return code.withDescription(e.getMessage()).asException();
  }

  /** Any failure of a call, as the status to answer. */
  static StatusException of(Throwable failure) {
    if (failure instanceof StatusException e) {
      return e;
    }
    if (failure instanceof ApiException e) {
      return of(e);
    }
    Throwable cause = failure.getCause();
    if (cause != null && cause != failure) {
      return of(cause);
    }
    // the failure is logged in full by the predict path; the client gets no Java class name
    return Status.INTERNAL
        .withDescription("Internal: the request failed (see the server log)")
        .asException();
  }

  static StatusException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asException();
  }

  /** The HTTP-like status the metrics count a gRPC refusal under. */
  static int httpStatus(StatusException e) {
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT, FAILED_PRECONDITION -> 400;
      case NOT_FOUND -> 404;
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case UNIMPLEMENTED -> 501;
      default -> 500;
    };
  }
}
