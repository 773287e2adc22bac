package org.tfmnist.serving;

import java.io.PrintStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a predict's failure into what the client sees: its own {@link ApiException}, or, for a
 * failure of the model, a one-line 500 with a failure number, the full failure going to the server
 * log under that number (no server path or Java class reaches the client).
 */
final class PredictFailures {
  private final PrintStream log;
  private final AtomicLong count = new AtomicLong();

  PredictFailures(PrintStream log) {
    this.log = log;
  }

  /** A failure as the client sees it: its own ApiException, or a 500 naming no server detail. */
  ApiException apiError(String model, long version, Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException e) {
      return e;
    }
    long id = count.incrementAndGet();
    log.println(
        "error: predict failure "
            + id
            + " on model '"
            + model
            + "' version "
            + version
            + ": "
            + cause);
    return new ApiException(
        500,
        "Internal: model '"
            + model
            + "' version "
            + version
            + " failed to run this request (failure "
            + id
            + " in the server log)");
  }
}
