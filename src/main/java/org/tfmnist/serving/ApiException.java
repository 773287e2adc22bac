package org.tfmnist.serving;

/** A REST request the server refuses: an HTTP status and a one-line message for {@code {"error": ...}}. */
final class ApiException extends Exception {
  final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
