package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * One loaded version of a model: its {@link Servable} and, with batching, the shared {@link
 * BatchScheduler} its requests queue on. Requests hold it by {@link #acquire()}/{@link #release()};
 * once {@link #retire() retired} it is unloaded when the last request in flight releases it, so an
 * unload never cuts one short. The unload runs on the manager's unload thread, never on the
 * request's.
 */
public final class ServableVersion {
  private final long version;
  private final Servable servable;
  private final BatchScheduler batcher;
  private final Consumer<Runnable> unloader;
  private final Runnable onUnloaded;
  private int refs = 1; // the manager's own reference, dropped by retire()
  private boolean retired;

  ServableVersion(
      long version,
      Servable servable,
      BatchScheduler batcher,
      Consumer<Runnable> unloader,
      Runnable onUnloaded) {
    this.version = version;
    this.servable = servable;
    this.batcher = batcher;
    this.unloader = unloader;
    this.onUnloaded = onUnloaded;
  }

  long version() {
    return version;
  }

  /** The loaded model. */
  public Servable servable() {
    return servable;
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
   * Runs {@code signature} on checked inputs, batched with other requests when batching is on, the
   * inputs share a first dimension and every output asked for has one of unknown size (its rows can
   * be split back), else on {@code executor}. Completing the future early (a deadline) drops the
   * request if it has not started.
   */
  public CompletableFuture<Map<String, HostTensor>> run(
      String signature, Map<String, HostTensor> inputs, List<String> outputs, Executor executor) {
    long rows =
        batcher == null || !BatchScheduler.batchable(servable.signatures().get(signature), outputs)
            ? -1
            : BatchScheduler.batchRows(inputs);
    if (rows >= 0) {
      try { // one queue for every order of the same outputs
        return batcher.submit(
            servable, signature, outputs.stream().sorted().toList(), inputs, rows);
      } catch (ApiException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Map<String, HostTensor>> result = new CompletableFuture<>();
    Runnable run =
        () -> {
          if (result.isDone()) {
            return; // ended (deadline) while it waited for a worker
          }
          try {
            result.complete(servable.run(signature, inputs, outputs));
          } catch (ApiException | RuntimeException | Error e) {
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
      servable.close();
    } finally {
      onUnloaded.run();
    }
  }
}
