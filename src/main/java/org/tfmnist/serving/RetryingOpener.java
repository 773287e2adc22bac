package org.tfmnist.serving;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.tfmnist.TfmnistException;

/**
 * TF Serving's load retries ({@code --max_num_load_retries}, {@code --load_retry_interval_micros}):
 * a version whose load fails is tried again up to {@code retries} more times, {@code interval}
 * apart, each failure logged; the last failure is the load's error.
 */
final class RetryingOpener implements ServedModel.Opener {
  private final ServedModel.Opener opener;
  private final int retries;
  private final Duration interval;
  private final PrintStream log;

  private RetryingOpener(
      ServedModel.Opener opener, int retries, Duration interval, PrintStream log) {
    this.opener = opener;
    this.retries = retries;
    this.interval = interval;
    this.log = log;
  }

  /** {@code opener} itself when {@code load} asks for no retry. */
  static ServedModel.Opener wrap(ServedModel.Opener opener, LoadOptions load, PrintStream log) {
    return load.maxLoadRetries() <= 0
        ? opener
        : new RetryingOpener(opener, load.maxLoadRetries(), load.loadRetryInterval(), log);
  }

  @Override
  public ServableVersion open(String model, long version, Path dir, Runnable onUnloaded)
      throws TfmnistException {
    for (int attempt = 0; ; attempt++) {
      try {
        return opener.open(model, version, dir, onUnloaded);
      } catch (TfmnistException | RuntimeException e) {
        if (attempt >= retries) {
          throw e;
        }
        log.println(
            "error: model '"
                + model
                + "' version "
                + version
                + " did not load ("
                + TfmnistException.firstLine(String.valueOf(e.getMessage()))
                + "); retry "
                + (attempt + 1)
                + " of "
                + retries
                + " in "
                + interval.toMillis()
                + " ms");
        sleep();
      }
    }
  }

  private void sleep() throws TfmnistException {
    if (interval.isNegative() || interval.isZero()) {
      return; // TF Serving: a negative interval does not wait
    }
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while waiting to retry a load", e);
    }
  }
}
