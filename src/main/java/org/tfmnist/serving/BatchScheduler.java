package org.tfmnist.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.serving.BatchRun.Task;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * TF Serving's shared batch scheduler: one pool of {@code num_batch_threads} threads for every
 * model, one queue per model version, signature and output list. Requests wait up to {@code
 * batch_timeout_micros} after the first of a batch for others; a batch is at most {@code
 * max_batch_size} rows (the first dimension, which every input of a batched request shares);
 * requests whose inputs differ past the first dimension share a batch only with {@code
 * pad_variable_length_inputs}, which pads them to the largest sizes ({@link
 * VariableLengthPadding}). With {@code allowed_batch_sizes} a batch is padded (with copies of a
 * first row) up to the next allowed size and the padding cut from the answers. A queue holds at
 * most {@code max_enqueued_batches} batches; beyond, a request is refused with TF Serving's
 * UNAVAILABLE.
 */
final class BatchScheduler implements AutoCloseable {
  /** The requests of one version, signature and output list, oldest first. */
  private static final class Queue {
    final Servable servable;
    final String signature;
    final List<String> outputs;
    final ArrayDeque<Task> tasks = new ArrayDeque<>();
    long rows;
    long firstArrival;

    Queue(Servable servable, String signature, List<String> outputs) {
      this.servable = servable;
      this.signature = signature;
      this.outputs = outputs;
    }
  }

  private final BatchingOptions options;
  private final long timeoutNanos;
  private final BatchListener listener;
  private final Map<List<Object>, Queue> queues = new LinkedHashMap<>(); // guarded by this
  private final List<Thread> threads = new ArrayList<>();
  private boolean closed;

  /** Starts the batch threads; {@code listener} hears every request queued and batch run. */
  BatchScheduler(BatchingOptions options, BatchListener listener) {
    this.options = options;
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(options.batchTimeoutMicros());
    this.listener = listener;
    for (int i = 0; i < options.threads(); i++) {
      Thread t = new Thread(this::loop, "batch-" + (i + 1));
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /**
   * Whether answers of {@code signature} can be split back by rows: every output asked for has a
   * first dimension of unknown size, as a batch dimension does.
   */
  static boolean batchable(SignatureDef signature, List<String> outputs) {
    for (String alias : outputs) {
      TensorInfo info = signature.getOutputsMap().get(alias);
      if (info == null
          || info.getTensorShape().getUnknownRank()
          || info.getTensorShape().getDimCount() == 0
          || info.getTensorShape().getDim(0).getSize() != -1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows of a request if it can be batched: every input has a first dimension and all agree;
   * else -1 (it runs alone).
   */
  static long batchRows(Map<String, HostTensor> inputs) {
    long rows = -1;
    for (HostTensor t : inputs.values()) {
      if (t.rank() == 0 || (rows >= 0 && t.rows() != rows)) {
        return -1;
      }
      rows = t.rows();
    }
    return rows;
  }

  /**
   * Queues a request of {@code rows} rows for {@code signature} of {@code servable}; its future
   * completes with the request's own rows of each output. Completing it early (a deadline) drops it
   * if its batch has not started.
   */
  CompletableFuture<Map<String, HostTensor>> submit(
      Servable servable,
      String signature,
      List<String> outputs,
      Map<String, HostTensor> inputs,
      long rows)
      throws ApiException {
    for (HostTensor t : inputs.values()) { // as TF Serving, before the request is checked
      listener.batchInput((int) t.rows());
    }
    if (rows > options.maxBatchSize()) {
      throw new ApiException(
          400,
          "Task size "
              + rows
              + " is larger than maximum input batch size "
              + options.maxBatchSize());
    }
    CompletableFuture<Map<String, HostTensor>> result = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        throw new ApiException(503, "the server is shutting down");
      }
      Queue q =
          queues.computeIfAbsent(
              List.of(servable, signature, outputs), k -> new Queue(servable, signature, outputs));
      long limit = (long) options.maxEnqueuedBatches() * options.maxBatchSize();
      if (q.rows + rows > limit) {
        throw new ApiException(
            503, "The batch scheduling queue to which this task was submitted is full");
      }
      long now = System.nanoTime();
      if (q.tasks.isEmpty()) {
        q.firstArrival = now;
      }
      q.tasks.add(new Task(inputs, rows, now, result));
      q.rows += rows;
      notifyAll();
    }
    return result;
  }

  private void loop() {
    while (true) {
      BatchRun batch;
      try {
        batch = take();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      batch.run(options, listener);
    }
  }

  /** The next batch due: full, or past its timeout; waits until one is. Null once closed. */
  private synchronized BatchRun take() throws InterruptedException {
    while (true) {
      long wait = Long.MAX_VALUE;
      for (Iterator<Queue> it = queues.values().iterator(); it.hasNext(); ) {
        Queue q = it.next();
        dropDone(q);
        if (q.tasks.isEmpty()) {
          it.remove();
          continue;
        }
        long waited = System.nanoTime() - q.firstArrival;
        if (closed || q.rows >= options.maxBatchSize() || waited >= timeoutNanos) {
          return poll(q);
        }
        wait = Math.min(wait, timeoutNanos - waited);
      }
      if (closed && queues.isEmpty()) {
        return null;
      }
      if (wait == Long.MAX_VALUE) {
        wait();
      } else {
        TimeUnit.NANOSECONDS.timedWait(this, wait);
      }
    }
  }

  private static void dropDone(Queue q) {
    for (Iterator<Task> it = q.tasks.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (t.result().isDone()) { // ended (a deadline) while it waited
        it.remove();
        q.rows -= t.rows();
      }
    }
  }

  /** Takes from {@code q} the oldest task and the ones after it that fit and can share its run. */
  private BatchRun poll(Queue q) {
    List<Task> taken = new ArrayList<>();
    long rows = 0;
    Task first = q.tasks.peek();
    for (Iterator<Task> it = q.tasks.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (rows + t.rows() > options.maxBatchSize()) {
        break;
      }
      if (t == first || canShare(first.inputs(), t.inputs())) {
        it.remove();
        taken.add(t);
        rows += t.rows();
        q.rows -= t.rows();
      }
    }
    q.firstArrival = System.nanoTime(); // the rest start a new batch window now
    return new BatchRun(q.servable, q.signature, q.outputs, taken);
  }

  /**
   * Whether two requests' inputs can be merged: the same shapes past the first dimension, or with
   * {@code pad_variable_length_inputs} shapes that can be padded to each other's.
   */
  private boolean canShare(Map<String, HostTensor> a, Map<String, HostTensor> b) {
    for (Map.Entry<String, HostTensor> e : a.entrySet()) {
      HostTensor other = b.get(e.getKey());
      if (other == null
          || !(options.padVariableLengthInputs()
              ? VariableLengthPadding.compatible(e.getValue(), other)
              : e.getValue().sameRowShape(other))) {
        return false;
      }
    }
    return true;
  }

  /** Runs what is queued, then ends the batch threads. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    for (Thread t : threads) {
      if (t == Thread.currentThread()) {
        continue;
      }
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
