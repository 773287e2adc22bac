package org.tfmnist.serving;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * The one predict path behind REST, gRPC and the page: admission (a slot among {@code threads +
 * queue}, else UNAVAILABLE at once), the lease of the version asked for (number, label or latest),
 * the signature check, batching, metrics and the request deadline. Protocols only translate their
 * request into a {@link PredictRequest} and the {@link Answer} (or the {@link ApiException}) back.
 *
 * <p>A deadline ends the request with DEADLINE_EXCEEDED: queued, it never runs; running, it stops
 * never; running, it is answered at once and the session run's result dropped (a session run cannot
 * be cut short). Lease and slot are released whatever happens, before the answer completes. A model
 * failure is logged in full under a number; the client gets a one-line 500 naming no server path or
 * Java class. Metrics name only models served: made-up names add no series.
 */
public final class PredictService implements AutoCloseable {
  /** What a predict answered: the version that ran it, the request, the outputs by alias. */
  public record Answer(
      long version, PredictRequest request, Map<String, HostTensor> outputs, long runMicros) {}

  /**
   * Makes a request once a slot and the version's lease are held, knowing the signature it asks for
   * (a REST body is typed by the signature's dtypes; the page decodes its picture here).
   */
  @FunctionalInterface
  public interface Preparer {
    PredictRequest prepare(SignatureDef signature) throws Exception;
  }

  /** The version a request asks for: {@code version} or {@code label}, both null for the latest. */
  public record Target(String model, Long version, String label, String entrypoint) {
    /** A target reached through no named entrypoint (tools and tests). */
    public Target(String model, Long version, String label) {
      this(model, version, label, "");
    }

    /** The latest version of {@code model}, or {@code version} when not null. */
    public static Target of(String model, Long version) {
      return new Target(model, version, null);
    }
  }

  /** No deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final ModelManager models;
  private final ServingMetrics metrics;
  private final int threads;
  private final int queue;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final PredictFailures failures;

  /** As the full constructor, logging model failures to standard error. */
  public PredictService(ModelManager models, ServingMetrics metrics, int threads, int queue) {
    this(models, metrics, threads, queue, System.err);
  }

  /**
   * {@code threads} predicts run at once and {@code queue} more may wait for one; model failures
   * are logged to {@code log}.
   */
  public PredictService(
      ModelManager models, ServingMetrics metrics, int threads, int queue, PrintStream log) {
    this.models = models;
    this.metrics = metrics;
    this.failures = new PredictFailures(log);
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
            r -> ServingThreads.daemon(r, "predict-" + count.incrementAndGet()));
    ScheduledThreadPoolExecutor deadlines =
        new ScheduledThreadPoolExecutor(1, r -> ServingThreads.daemon(r, "predict-deadlines"));
    deadlines.setRemoveOnCancelPolicy(true); // else every answered request's 30 s timer waits
    this.timer = deadlines;
  }

  /** Requests holding a slot now: running, or queued for a worker or a batch. */
  public int inFlight() {
    return threads + queue - slots.availablePermits();
  }

  /** The model manager this service leases versions from. */
  public ModelManager models() {
    return models;
  }

  /** UNAVAILABLE now if every slot is taken: a protocol checks it before it reads a large body. */
  public void checkNotBusy() throws ApiException {
    if (slots.availablePermits() == 0) {
      throw busy();
    }
  }

  /** {@link #predict(Target, String, Preparer, long, String)} of a request already parsed. */
  public CompletableFuture<Answer> predict(
      Target target, PredictRequest request, long deadlineNanos, String api) {
    return predict(target, request.signature(), (Ready) def -> request, deadlineNanos, api);
  }

  /**
   * Predicts on {@code target} until {@code deadlineNanos} ({@link System#nanoTime()} clock; {@link
   * #NO_DEADLINE}: none) the request that {@code prepare} makes once a slot and a lease are held
   * (the page decodes its picture there, on a worker, never on the caller's I/O thread). The future
   * fails with an {@link ApiException} carrying TF Serving's status and message; it never throws
   * here. Cancelling it (a client that went away) ends the work as a deadline does. Every outcome
   * is counted in the metrics under {@code api}.
   */
  public CompletableFuture<Answer> predict(
      Target target, String signature, Preparer prepare, long deadlineNanos, String api) {
    return predict(target, signature, prepare, deadlineNanos, api, System.nanoTime());
  }

  /**
   * As {@link #predict(Target, String, Preparer, long, String)}, its latency counted from {@code
   * start} ({@link System#nanoTime()} clock: a REST request's first byte).
   */
  public CompletableFuture<Answer> predict(
      Target target,
      String signature,
      Preparer prepare,
      long deadlineNanos,
      String api,
      long start) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    ModelManager.Lease lease;
    try {
      lease = admit(target, signature);
    } catch (ApiException e) {
      String model = models.serves(target.model()) ? target.model() : "";
      metrics.request(model, "", api, target.entrypoint(), e.status, System.nanoTime() - start);
      answer.completeExceptionally(e);
      return answer;
    }
    CompletableFuture<Answer> work = new CompletableFuture<>();
    ScheduledFuture<?> expiry = expireAt(work, deadlineNanos);
    answer.whenComplete(
        (a, f) -> {
          if (answer.isCancelled()) { // the client went away: end the work as a deadline would
            work.completeExceptionally(new ApiException(499, "Cancelled"));
          }
        });
    work.whenComplete(
        (done, failure) -> {
          if (expiry != null) {
            expiry.cancel(false);
          }
          finish(target, lease, api, start, done, failure, answer);
        });
    start(lease.servable(), signature, prepare, work);
    return answer;
  }

  /** Releases the lease and the slot, counts the outcome and completes {@code answer}. */
  private void finish(
      Target target,
      ModelManager.Lease lease,
      String api,
      long start,
      Answer done,
      Throwable failure,
      CompletableFuture<Answer> answer) {
    long served = lease.version();
    String model = target.model();
    try {
      lease.close();
    } finally {
      slots.release();
      ApiException error = failure == null ? null : failures.apiError(model, served, failure);
      int status = error == null ? 200 : error.status;
      metrics.request(
          model,
          Long.toString(served),
          api,
          target.entrypoint(),
          status,
          System.nanoTime() - start);
      if (error == null) {
        metrics.work(model, api, done.request(), done.runMicros());
        answer.complete(done);
      } else {
        answer.completeExceptionally(error);
      }
    }
  }

  /** Takes a slot and a lease on the version, and checks the signature; or frees both and fails. */
  private ModelManager.Lease admit(Target target, String signature) throws ApiException {
    if (!slots.tryAcquire()) {
      throw busy();
    }
    ModelManager.Lease lease = null;
    try {
      lease = models.lease(target.model(), target.version(), target.label());
      SignatureCheck.signature(lease.model(), signature);
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

  private ApiException busy() {
    String load = threads + " requests running and " + queue + " queued";
    return new ApiException(503, "the server is busy: " + load + "; try again later");
  }

  /**
   * Prepares the request (inline when it is ready, else on a worker), checks it against its
   * signature and runs it; {@code work} completes with the answer. Completing {@code work} early (a
   * deadline, a cancel) reaches the model's own future, which drops the run if it has not started.
   */
  private void start(
      ServableVersion servable,
      String signature,
      Preparer prepare,
      CompletableFuture<Answer> work) {
    Runnable run = PredictRun.of(servable, signature, prepare, work, workers);
    try {
      if (prepare instanceof Ready) {
        run.run();
      } else {
        workers.execute(run);
      }
    } catch (RejectedExecutionException e) {
      work.completeExceptionally(new ApiException(503, "the server is shutting down"));
    }
  }

  /** A request already parsed: no hop to a worker to prepare it. */
  private interface Ready extends Preparer {}

  /** Fails {@code work} with DEADLINE_EXCEEDED at the deadline, unless it is done by then. */
  private ScheduledFuture<?> expireAt(CompletableFuture<?> work, long deadlineNanos) {
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
