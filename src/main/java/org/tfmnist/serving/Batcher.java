package org.tfmnist.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.tfmnist.inference.Prediction;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.MnistShape;

/**
 * TF Serving's {@code --enable_batching} for one model version: concurrent predict requests wait up
 * to {@code batchTimeoutMicros} after the first of them for others, are merged into one session run
 * of at most {@code maxBatchSize} images, and get their own rows back. A request larger than {@code
 * maxBatchSize} runs alone. {@code threads} batch threads run batches side by side.
 */
final class Batcher implements AutoCloseable {
  private record Pending(float[] images, int count, CompletableFuture<Prediction[]> result) {}

  private final Predictor predictor;
  private final int maxBatchSize;
  private final long timeoutNanos;
  private final IntConsumer batchSizes;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private long firstArrival;
  private boolean closed;

  /** {@code batchSizes} hears the size of every batch run (for metrics). */
  Batcher(
      Predictor predictor,
      int maxBatchSize,
      long batchTimeoutMicros,
      int threads,
      String name,
      IntConsumer batchSizes) {
    this.predictor = predictor;
    this.maxBatchSize = maxBatchSize;
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(batchTimeoutMicros);
    this.batchSizes = batchSizes;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, name + "-batch-" + (i + 1));
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  /** Queues {@code count} images (784 floats each) for the next batch. */
  CompletableFuture<Prediction[]> submit(float[] images, int count) {
    CompletableFuture<Prediction[]> result = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        result.completeExceptionally(new IllegalStateException("batcher is closed"));
        return result;
      }
      if (queue.isEmpty()) {
        firstArrival = System.nanoTime();
      }
      queue.add(new Pending(images, count, result));
      notifyAll();
    }
    return result;
  }

  private void loop() {
    while (true) {
      List<Pending> batch;
      try {
        batch = take();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /**
   * The next batch: waits for a first request, then until the batch is full or its timeout has
   * passed.
   */
  private synchronized List<Pending> take() throws InterruptedException {
    while (true) {
      queue.removeIf(p -> p.result.isDone()); // ended (deadline): they fill no batch
      if (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        wait();
        continue;
      }
      long waited = System.nanoTime() - firstArrival;
      if (closed || queuedImages() >= maxBatchSize || waited >= timeoutNanos) {
        return poll();
      }
      TimeUnit.NANOSECONDS.timedWait(this, timeoutNanos - waited);
    }
  }

  private int queuedImages() {
    int n = 0;
    for (Pending p : queue) {
      n += p.count;
      if (n >= maxBatchSize) {
        break;
      }
    }
    return n;
  }

  private List<Pending> poll() {
    List<Pending> batch = new ArrayList<>();
    int images = 0;
    while (!queue.isEmpty() && (batch.isEmpty() || images + queue.peek().count <= maxBatchSize)) {
      Pending p = queue.poll();
      batch.add(p);
      images += p.count;
    }
    firstArrival = System.nanoTime(); // the rest start a new batch window now
    return batch;
  }

  private void run(List<Pending> batch) {
    batch.removeIf(p -> p.result.isDone()); // ended (deadline) while it waited for the batch
    if (batch.isEmpty()) {
      return;
    }
    int total = batch.stream().mapToInt(Pending::count).sum();
    try {
      Prediction[] all;
      if (batch.size() == 1) {
        all = predictor.predict(batch.get(0).images, total);
      } else {
        float[] merged = new float[total * MnistShape.PIXELS];
        int at = 0;
        for (Pending p : batch) {
          System.arraycopy(p.images, 0, merged, at, p.count * MnistShape.PIXELS);
          at += p.count * MnistShape.PIXELS;
        }
        all = predictor.predict(merged, total);
      }
      batchSizes.accept(total);
      int from = 0;
      for (Pending p : batch) {
        Prediction[] mine = new Prediction[p.count];
        System.arraycopy(all, from, mine, 0, p.count);
        from += p.count;
        p.result.complete(mine);
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.result.completeExceptionally(e));
    }
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
        continue; // closed from its own batch: it ends after this batch
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
