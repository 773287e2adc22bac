package org.tfmnist.cluster;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.types.TInt32;

/**
 * The TF1 way a parameter server learns the run is over: one {@code FIFOQueue} per ps task, placed
 * on that task and shared by name ({@code done_queue_N}); the chief enqueues one token into each at
 * the end, and each ps task, blocked in a dequeue on its own queue, returns and exits 0.
 */
final class DoneQueues {
  private DoneQueues() {}

  static String sharedName(int psTask) {
    return "done_queue_" + psTask;
  }

  /** The queue of ps task {@code psTask}, built into {@code graph} with the ps device. */
  static FifoQueue queue(Graph graph, int psTask) {
    Ops tf = Ops.create(graph).withDevice(PsDevices.device(psTask));
    return tf.withName("done_queue_" + psTask)
        .io
        .fifoQueue(
            List.of(TInt32.class),
            FifoQueue.capacity(8L),
            FifoQueue.sharedName(sharedName(psTask)));
  }

  /** The chief's op that puts one token into every ps task's queue. */
  static Op signalAll(Graph graph, int psTasks) {
    Ops tf = Ops.create(graph).withSubScope("run_finished");
    List<Op> enqueues = new ArrayList<>();
    for (int i = 0; i < psTasks; i++) {
      Operand<TInt32> token = tf.withDevice(PsDevices.device(i)).constant(1);
      enqueues.add(
          tf.withDevice(PsDevices.device(i)).io.queueEnqueue(queue(graph, i), List.of(token)));
    }
    return tf.withControlDependencies(enqueues).noOp();
  }
}
