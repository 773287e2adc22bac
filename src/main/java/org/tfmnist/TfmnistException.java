package org.tfmnist;

/**
 * An error the user can cause and fix (a missing or corrupt file, a bad flag, a bad image). Its
 * message is one line that names the file or option and the problem; the CLI prints it and exits
 * non-zero, without a stack trace.
 */
public class TfmnistException extends Exception {
  public TfmnistException(String message) {
    super(message);
  }

  public TfmnistException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The first line of a (possibly multi-line, possibly null) message, such as TensorFlow's native
   * error texts, for use inside a one-line user-facing message.
   */
  public static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unknown error";
    }
    return message.strip().lines().findFirst().orElse("unknown error");
  }
}
