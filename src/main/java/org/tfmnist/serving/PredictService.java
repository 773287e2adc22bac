package org.tfmnist.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.inference.Prediction;

/**
 * The one predict path behind REST, gRPC and the page: admission (a slot among {@code threads +
 * queue}, else UNAVAILABLE at once), the lease of the version asked for, the signature check,
 * batching, metrics and the request deadline. Protocols only translate their request into a {@link
 * PredictRequest} and the {@link Answer} (or the {@link ApiException}) back.
 *
 * <p>A deadline ends the request with TF Serving's DEADLINE_EXCEEDED when it passes: a request
 * still queued (for a worker or a batch) is dropped and never runs; one that is running stops
 * before its next chunk of {@link org.tfmnist.inference.Predictor#CHUNK} images (a session run
 * itself cannot be cut short: TF's RunOptions timeout reports the timeout only once the run ends,
 * docs/serving-grpc.md). The slot is freed as the request ends.
 */
public final class PredictService implements AutoCloseable {
  /** What a predict answered: the version that ran it and one prediction per image. */
  public record Answer(long version, Prediction[] predictions) {}

  /** No deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final ModelManager models;
  private final ServingMetrics metrics;
  private final int threads;
  private final int queue;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;

  /** {@code threads} predicts run at once and {@code queue} more may wait for one. */
  public PredictService(ModelManager models, ServingMetrics metrics, int threads, int queue) {
    this.models = models;
    this.metrics = metrics;
    this.threads = threads;
    this.queue = queue;
    this.slots = new Semaphore(threads + queue);
    AtomicInteger count = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> daemon(r, "predict-" + count.incrementAndGet()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "predict-deadlines"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Requests holding a slot now: running, or queued for a worker or a batch. */
  public int inFlight() {
    return threads + queue - slots.availablePermits();
  }

  /** The model manager this service leases versions from. */
  public ModelManager models() {
    return models;
  }

  /**
   * Predicts {@code request} on {@code model} ({@code version} null: the latest) until {@code
   * deadlineNanos} ({@link System#nanoTime()} clock; {@link #NO_DEADLINE}: none). The future fails
   * with an {@link ApiException} carrying TF Serving's status and message; it never throws here.
   * Cancelling it (a client that went away) ends the work as a deadline does. Every outcome is
   * counted in the metrics under {@code api}.
   */
  public CompletableFuture<Answer> predict(
      String model, Long version, PredictRequest request, long deadlineNanos, String api) {
    long start = System.nanoTime();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    ModelManager.Lease lease;
    try {
      lease = admit(model, version, request);
    } catch (ApiException e) {
      metrics.request(model, "", api, e.status, System.nanoTime() - start);
      answer.completeExceptionally(e);
      return answer;
    }
    CompletableFuture<Prediction[]> work = run(lease.servable(), request);
    ScheduledFuture<?> expiry = expireAt(work, deadlineNanos);
    answer.whenComplete(
        (a, f) -> {
          if (answer.isCancelled()) { // the client went away: end the work as a deadline would
            work.completeExceptionally(new ApiException(499, "Cancelled"));
          }
        });
    work.whenComplete(
        (predictions, failure) -> {
          if (expiry != null) {
            expiry.cancel(false);
          }
          long served = lease.version();
          ApiException error = failure == null ? null : apiError(failure);
          int status = error == null ? 200 : error.status;
          metrics.request(model, Long.toString(served), api, status, System.nanoTime() - start);
          try {
            lease.close();
          } finally {
            slots.release();
          }
          if (error == null) {
            answer.complete(new Answer(served, predictions));
          } else {
            answer.completeExceptionally(error);
          }
        });
    return answer;
  }

  /** Takes a slot and a lease on the version, and checks the signature; or frees both and fails. */
  private ModelManager.Lease admit(String model, Long version, PredictRequest request)
      throws ApiException {
    if (!slots.tryAcquire()) {
      throw new ApiException(
          503,
          "the server is busy: "
              + threads
              + " requests running and "
              + queue
              + " queued; try again later");
    }
    ModelManager.Lease lease = null;
    try {
      lease = models.lease(model, version);
      if (!lease.predictor().hasSignature(request.signature())) {
        throw new ApiException(
            400,
            "Serving signature name: \"" + request.signature() + "\" not found in signature def");
      }
      return lease;
    } catch (ApiException | RuntimeException e) {
      try {
        if (lease != null) {
          lease.close();
        }
      } finally {
        slots.release();
      }
      throw e;
    }
  }

  private CompletableFuture<Prediction[]> run(ServableVersion servable, PredictRequest request) {
    if (request.signature().equals(ServingSignature.DEFAULT_KEY)) {
      return servable.predict(request.values(), request.count(), workers);
    }
    return servable.predictPixels(request.pixelBytes(), request.count(), workers);
  }

  /** Fails {@code work} with DEADLINE_EXCEEDED at the deadline, unless it is done by then. */
  private ScheduledFuture<?> expireAt(CompletableFuture<Prediction[]> work, long deadlineNanos) {
    if (deadlineNanos == NO_DEADLINE) {
      return null;
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      work.completeExceptionally(deadlineExceeded());
      return null;
    }
    return timer.schedule(
        () -> work.completeExceptionally(deadlineExceeded()), left, TimeUnit.NANOSECONDS);
  }

  /** TF Serving's error for a request past its deadline (REST: HTTP 504). */
  public static ApiException deadlineExceeded() {
    return new ApiException(504, "Deadline Exceeded");
  }

  private static ApiException apiError(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof ApiException e) {
      return e;
    }
    return new ApiException(
        500, "internal error: " + TfmnistException.firstLine(String.valueOf(cause.getMessage())));
  }

  /** Ends the workers and the deadline timer once the requests queued for them are done. */
  @Override
  public void close() {
    workers.shutdown();
    timer.shutdown();
    try {
      workers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }
}
