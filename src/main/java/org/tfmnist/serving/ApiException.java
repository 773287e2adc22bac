package org.tfmnist.serving;

/**
 * A REST request the server refuses: an HTTP status and a one-line message for {@code {"error":
 * ...}}.
 */
public final class ApiException extends Exception {
  public final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
