package org.tfmnist.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * Requests of one version, signature and output list merged into one session call, and their
 * answers split back by rows: TF Serving's {@code BatchingSession::ProcessBatch}. The {@link
 * BatchListener} hears the queuing time of each request, then the batch's size and padding before
 * the inputs are merged, then the session call, at the points where TF Serving records them.
 */
record BatchRun(Servable servable, String signature, List<String> outputs, List<Task> tasks) {
  /** One queued request: its inputs, rows, when it was queued and the future of its answer. */
  record Task(
      Map<String, HostTensor> inputs,
      long rows,
      long enqueuedNanos,
      CompletableFuture<Map<String, HostTensor>> result) {}

  /** Runs the batch (its requests that have not ended while they waited) and answers them. */
  void run(BatchingOptions options, BatchListener listener) {
    List<Task> live = new ArrayList<>(tasks);
    live.removeIf(t -> t.result.isDone());
    if (live.isEmpty()) {
      return;
    }
    long dequeued = System.nanoTime();
    for (Task t : live) {
      listener.batchQueuing(
          options.threadPoolName(), TimeUnit.NANOSECONDS.toMicros(dequeued - t.enqueuedNanos));
    }
    try {
      long rows = live.stream().mapToLong(Task::rows).sum();
      long padded = BatchPadding.paddedSize(rows, options.allowedBatchSizes());
      listener.batchPadding((int) (padded - rows), (int) padded);
      listener.batch((int) padded);
      Map<String, HostTensor> merged =
          BatchPadding.merge(
              live.get(0).inputs.keySet(),
              live.stream().map(Task::inputs).toList(),
              padded - rows,
              options.padVariableLengthInputs());
      Map<String, HostTensor> out;
      try {
        out = servable.run(signature, merged, outputs);
      } finally {
        listener.wrappedRun();
      }
      long from = 0;
      for (Task t : live) {
        t.result.complete(BatchPadding.slice(out, from, t.rows, padded));
        from += t.rows;
      }
    } catch (ApiException | RuntimeException | Error e) {
      live.forEach(t -> t.result.completeExceptionally(e));
    }
  }
}
