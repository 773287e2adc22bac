package org.tfmnist.cluster;

import java.util.concurrent.atomic.AtomicReference;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;

/**
 * The chief's queue runner of synchronous replicas: a daemon thread that, again and again, checks
 * whether every accumulator holds the gradients of a step (their counts: that takes nothing), runs
 * the sync op when they do (take the averaged gradients, apply them, one token per replica), and
 * otherwise waits until a replica reports its gradients applied (a dequeue bounded to {@link
 * #WAIT_MS}, so it notices {@link #stop}; cut off, it takes nothing). So an update is never cut off
 * half-way (its takes never wait), tokens come only after an update, and a slow replica delays the
 * step. A TensorFlow error other than the wait's deadline ends it and is kept for {@link #stop}.
 */
final class SyncQueueRunner {
  /** How long one wait for a replica's gradients may take; also about how long a stop takes. */
  static final int WAIT_MS = 1_000;

  private static final RunOptions BOUNDED = RunOptions.newBuilder().setTimeoutInMs(WAIT_MS).build();

  private final Thread thread;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile boolean stopped;

  SyncQueueRunner(Session session, Operand<TBool> ready, Op syncOp, Op awaitApplied) {
    thread =
        new Thread(
            () -> {
              try {
                while (!stopped) {
                  if (isReady(session, ready)) {
                    session.run(syncOp);
                  } else {
                    await(session, awaitApplied);
                  }
                }
              } catch (RuntimeException e) {
                if (!stopped) {
                  failure.set(e);
                }
              }
            },
            "sync-replicas-queue-runner");
    thread.setDaemon(true);
  }

  private static boolean isReady(Session session, Operand<TBool> ready) {
    try (Result result = session.runner().fetch(ready).run()) {
      return ((TBool) result.get(0)).getBoolean();
    }
  }

  private static void await(Session session, Op awaitApplied) {
    try {
      session.runner().addTarget(awaitApplied).setOptions(BOUNDED).run().close();
    } catch (TensorFlowException e) {
      if (!PsTask.timedOut(e)) {
        throw e;
      }
    }
  }

  void start() {
    thread.start();
  }

  /** Stops the thread (after the op it runs) and rethrows what ended it early, if anything did. */
  void stop() {
    stopped = true;
    try {
      thread.join(ClusterServer.OPERATION_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
