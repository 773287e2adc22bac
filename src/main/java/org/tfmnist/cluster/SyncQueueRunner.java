package org.tfmnist.cluster;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.proto.RunOptions;

/**
 * The chief's queue runner of synchronous replicas: a daemon thread that runs the sync op (take the
 * averaged gradients, apply them, hand out tokens) again and again, each run bounded to one second
 * so it notices {@link #stop} and never holds the session open. A TensorFlow error other than that
 * deadline ends it and is kept for {@link #stop} to report.
 */
final class SyncQueueRunner {
  /** How long one sync op may wait for gradients; also how long {@link #stop} may take. */
  static final int WAIT_MS = 5_000;

  private static final RunOptions BOUNDED = RunOptions.newBuilder().setTimeoutInMs(WAIT_MS).build();

  private final Thread thread;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile boolean stopped;

  SyncQueueRunner(Session session, Op syncOp, List<Op> restart) {
    thread =
        new Thread(
            () -> {
              while (!stopped) {
                try {
                  session.runner().addTarget(syncOp).setOptions(BOUNDED).run().close();
                } catch (TensorFlowException e) {
                  if (!PsTask.timedOut(e)) {
                    failure.set(e);
                    return;
                  }
                  if (!stopped) {
                    restart.forEach(session::run);
                  }
                } catch (RuntimeException e) {
                  failure.set(e);
                  return;
                }
              }
            },
            "sync-replicas-queue-runner");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the thread (within a second) and rethrows what ended it early, if anything did. */
  void stop() {
    stopped = true;
    try {
      thread.join(2L * WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
