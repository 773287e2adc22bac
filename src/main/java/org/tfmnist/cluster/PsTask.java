package org.tfmnist.cluster;

import java.io.PrintStream;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.QueueDequeue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.TargetSession;

/**
 * A parameter server: serves the cluster's variables from its gRPC server and waits, in a dequeue
 * on its own done queue, until the chief reports the run finished (then returns: exit 0). Every
 * {@link #WAIT_MS} it checks that the chief still accepts connections; a chief unreachable for
 * {@link #CHIEF_GRACE_MS} (time enough for a restarted chief to come back), or never reached in
 * {@link #FIRST_CONTACT_MS}, is lost for good: the task fails with one line naming it.
 */
public final class PsTask {
  static final long WAIT_MS = 2_000;

  /** A chief seen before and unreachable this long is lost for good. */
  public static final long CHIEF_GRACE_MS = 60_000;

  /** A chief never reached in this long is lost for good. */
  public static final long FIRST_CONTACT_MS = 300_000;

  private PsTask() {}

  /** TensorFlow's deadline error for a run with {@code timeout_in_ms}. */
  static boolean timedOut(TensorFlowException e) {
    return e.getClass().getSimpleName().contains("DeadlineExceeded")
        || String.valueOf(e.getMessage()).contains("timed out");
  }

  /** Serves {@code config}'s ps task on {@code server} until the run finishes. */
  public static void serve(ClusterConfig config, ClusterServer server, PrintStream out)
      throws TfmnistException {
    out.println(config.taskName() + " serving variables on " + config.address());
    ChiefWatch chief = new ChiefWatch(config);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(PsDevices.device(config.index()));
      QueueDequeue dequeue =
          tf.io.queueDequeue(DoneQueues.queue(graph, config.index()), List.of(TInt32.class));
      ConfigProto sessionConfig =
          ClusterServer.sessionConfig(config, ConfigProto.getDefaultInstance());
      try (Session session =
          TargetSession.open(graph, ClusterServer.target(config), sessionConfig)) {
        RunOptions bounded = RunOptions.newBuilder().setTimeoutInMs(WAIT_MS).build();
        while (true) {
          try {
            session.runner().addTarget(dequeue).setOptions(bounded).run().close();
            out.println("run finished: " + config.taskName() + " exits");
            return;
          } catch (TensorFlowException e) {
            if (!timedOut(e)) {
              throw new TfmnistException(
                  config.taskName() + ": " + TfmnistException.firstLine(e.getMessage()), e);
            }
          }
          chief.check();
        }
      }
    }
  }
}
