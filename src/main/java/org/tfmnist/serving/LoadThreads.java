package org.tfmnist.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * TF Serving's {@code --num_load_threads}: with 0 (its default) every version loads on the thread
 * that asked for it, one after another; with N a pool of N threads loads up to N versions at once,
 * versions of one model and of several models alike. Each model's poll (choosing its versions,
 * waiting for their loads, retiring the ones dropped) then runs on a thread of its own that only
 * waits, so it never holds a load thread. A wait for loads is never cut short by an interrupt: a
 * load in flight is always seen to its end by the model that started it.
 */
final class LoadThreads implements AutoCloseable {
  private final ExecutorService loads; // null: inline
  private final ExecutorService polls; // null: inline

  LoadThreads(int threads) {
    this.loads =
        threads <= 0
            ? null
            : Executors.newFixedThreadPool(threads, ServingThreads.daemon("model-load"));
    this.polls =
        threads <= 0
            ? null
            : Executors.newCachedThreadPool(ServingThreads.daemon("model-load-wait"));
  }

  /** Runs every load and returns their results in order, once all have ended. */
  <T> List<T> load(List<Supplier<T>> versions) {
    return all(loads, versions);
  }

  /** Runs every model's poll (or first load), concurrently with load threads; returns when done. */
  void poll(List<Runnable> models) {
    all(polls, models.stream().map(LoadThreads::asSupplier).toList());
  }

  private static Supplier<Void> asSupplier(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  /**
   * Inline, one after another, without an executor; otherwise all at once, waiting for every task
   * even after one has failed (the first failure is rethrown then).
   */
  private static <T> List<T> all(ExecutorService executor, List<Supplier<T>> tasks) {
    List<T> out = new ArrayList<>();
    if (executor == null) {
      tasks.forEach(t -> out.add(t.get()));
      return out;
    }
    List<Future<T>> futures = new ArrayList<>();
    for (Supplier<T> t : tasks) {
      futures.add(executor.submit(t::get));
    }
    Throwable failed = null;
    boolean interrupted = false;
    for (Future<T> f : futures) {
      while (true) {
        try {
          out.add(f.get());
          break;
        } catch (InterruptedException e) {
          interrupted = true; // a load in flight must not be left behind: wait on
        } catch (ExecutionException e) {
          out.add(null);
          failed = failed == null ? e.getCause() : failed;
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failed instanceof Error e) {
      throw e;
    }
    if (failed != null) {
      throw failed instanceof RuntimeException r ? r : new IllegalStateException(failed);
    }
    return out;
  }

  /** Lets the loads in flight end (up to 30 s each wait), then stops the threads. */
  @Override
  public void close() {
    for (ExecutorService e : new ExecutorService[] {polls, loads}) {
      if (e != null) {
        e.shutdown();
        ServingThreads.await(e);
      }
    }
  }
}
