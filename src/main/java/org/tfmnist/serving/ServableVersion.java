package org.tfmnist.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;

/**
 * One loaded version of a model: its {@link Predictor} and, with batching, its {@link Batcher}.
 * Requests hold it by {@link #acquire()}/{@link #release()}; once {@link #retire() retired} it is
 * unloaded when the last request in flight releases it, so an unload never cuts one short. The
 * unload runs on the manager's unload thread, never on the request's (a batch thread closing its
 * own batcher would wait on itself).
 */
public final class ServableVersion {
  private final long version;
  private final Predictor predictor;
  private final Batcher batcher;
  private final Consumer<Runnable> unloader;
  private final Runnable onUnloaded;
  private int refs = 1; // the manager's own reference, dropped by retire()
  private boolean retired;

  ServableVersion(
      long version,
      Predictor predictor,
      Batcher batcher,
      Consumer<Runnable> unloader,
      Runnable onUnloaded) {
    this.version = version;
    this.predictor = predictor;
    this.batcher = batcher;
    this.unloader = unloader;
    this.onUnloaded = onUnloaded;
  }

  long version() {
    return version;
  }

  Predictor predictor() {
    return predictor;
  }

  /** Takes a reference for one request; false once retired (the caller looks again). */
  synchronized boolean acquire() {
    if (retired) {
      return false;
    }
    refs++;
    return true;
  }

  /** Drops a reference; the last one hands the unload to the unload thread and returns. */
  void release() {
    boolean last;
    synchronized (this) {
      last = --refs == 0;
    }
    if (last) {
      unloader.accept(this::unload);
    }
  }

  /** No new requests; unloads once the ones in flight are done. */
  void retire() {
    synchronized (this) {
      if (retired) {
        return;
      }
      retired = true;
    }
    release();
  }

  /**
   * serving_default on {@code count} images, batched with other requests when batching is on.
   * Completing the future early (a deadline) drops the request if it has not started, and stops it
   * before its next chunk if it has.
   */
  public CompletableFuture<Prediction[]> predict(float[] images, int count, Executor executor) {
    if (batcher != null) {
      return batcher.submit(images, count);
    }
    return supply(executor, stop -> predictor.predict(images, count, stop));
  }

  /** predict_pixels on {@code count} 28x28 uint8 images (not batched). */
  public CompletableFuture<Prediction[]> predictPixels(
      byte[] pixels, int count, Executor executor) {
    return supply(executor, stop -> predictor.predictPixels(pixels, count, stop));
  }

  /** Runs {@code task} on {@code executor} unless its future is done first (then it stops). */
  private static CompletableFuture<Prediction[]> supply(
      Executor executor, Function<BooleanSupplier, Prediction[]> task) {
    CompletableFuture<Prediction[]> result = new CompletableFuture<>();
    Runnable run =
        () -> {
          if (result.isDone()) {
            return; // ended (deadline) while it waited for a worker
          }
          try {
            result.complete(task.apply(result::isDone));
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        };
    try {
      executor.execute(run);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new ApiException(503, "the server is shutting down"));
    }
    return result;
  }

  private void unload() {
    try {
      if (batcher != null) {
        batcher.close();
      }
    } finally {
      try {
        predictor.close();
      } finally {
        onUnloaded.run();
      }
    }
  }
}
