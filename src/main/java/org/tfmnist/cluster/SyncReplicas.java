package org.tfmnist.cluster;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.op.train.ConditionalAccumulator;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tfmnist.model.Optimizer;

/**
 * Synchronous updates built from TensorFlow's own ops the way TF1's {@code SyncReplicasOptimizer}
 * builds them: each replica computes its gradients, applies them to one {@code
 * ConditionalAccumulator} per variable (on the variable's ps) tagged with its local step, so a
 * gradient computed from stale weights is dropped, then waits for a token from the shared {@code
 * sync_token_q}, which becomes its new local step. The chief's queue runner ({@link
 * SyncQueueRunner}) takes {@code replicasToAggregate} averaged gradients from each accumulator,
 * applies them with the base optimiser (advancing the global step, which advances the
 * accumulators'), and puts one token per replica into the queue. Every task builds the same ops, so
 * every task's graph places every variable (optimizer slots included) alike.
 */
final class SyncReplicas implements Optimizer {
  private final Optimizer base;
  private final int replicasToAggregate;
  private final int replicas;
  private final int replica;
  private final DeviceSpec worker;
  private final List<FifoQueue> tokens = new ArrayList<>();
  private Ops tf;
  private Op localInit;
  private Op chiefInit;
  private Operand<TInt64> globalStepValue;
  private Operand<TBool> ready;
  private Op syncOp;
  private FifoQueue applied;
  private Op awaitApplied;
  private Op restartTokens;
  private Op finalTokens;

  /**
   * {@code replicasToAggregate} gradients per step from {@code replicas} replicas; this task is
   * replica {@code replica} (0: the chief), its local step on {@code worker}.
   */
  SyncReplicas(
      Optimizer base, int replicasToAggregate, int replicas, int replica, DeviceSpec worker) {
    this.base = base;
    this.replicasToAggregate = replicasToAggregate;
    this.replicas = replicas;
    this.replica = replica;
    this.worker = worker;
  }

  @Override
  public Op applyGradients(
      Ops tf,
      List<Operand<TFloat32>> gradients,
      List<Variable<TFloat32>> variables,
      Variable<TInt64> globalStep) {
    this.tf = tf;
    Ops local = tf.withDevice(worker);
    Variable<TInt64> localStep = local.withName("sync_rep_local_step").variable(local.constant(0L));
    localInit = local.withName("sync_rep_local_init").assign(localStep, globalStep);
    List<Op> applies = new ArrayList<>();
    List<Operand<TFloat32>> averaged = new ArrayList<>();
    List<Op> setSteps = new ArrayList<>();
    List<Operand<TBool>> filled = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      ConditionalAccumulator accumulator = accumulator(variables.get(i));
      applies.add(
          tf.train.accumulatorApplyGradient(accumulator.handle(), localStep, gradients.get(i)));
      averaged.add(
          tf.train.accumulatorTakeGradient(
              accumulator.handle(), tf.constant(replicasToAggregate), TFloat32.class));
      setSteps.add(tf.train.accumulatorSetGlobalStep(accumulator.handle(), globalStep));
      filled.add(
          tf.math.greaterEqual(
              tf.train.accumulatorNumAccumulated(accumulator.handle()),
              tf.constant(replicasToAggregate)));
    }
    ready = tf.withName("sync_ready").reduceAll(tf.stack(filled), tf.constant(0));
    chiefInit = tf.withControlDependencies(setSteps).withName("sync_chief_init").noOp();
    Ops onStep = tf.withDevice(deviceOf(globalStep));
    for (int r = 0; r < replicas; r++) {
      tokens.add(
          onStep
              .withName("sync_token_q_" + r)
              .io
              .fifoQueue(
                  List.of(TInt64.class),
                  FifoQueue.shapes(Shape.scalar()),
                  FifoQueue.sharedName("sync_token_q_" + r)));
    }
    applied =
        onStep
            .withName("sync_applied_q")
            .io
            .fifoQueue(
                List.of(TInt64.class),
                FifoQueue.shapes(Shape.scalar()),
                FifoQueue.sharedName("sync_applied_q"));
    tokenOps(base.applyGradients(tf, averaged, variables, globalStep), globalStep);
    Op notify =
        tf.withControlDependencies(applies)
            .io
            .queueEnqueue(applied, List.of(tf.identity(localStep)));
    @SuppressWarnings("unchecked")
    Operand<TInt64> token =
        (Operand<TInt64>)
            tf.withControlDependencies(List.of(notify))
                .io
                .queueDequeue(tokens.get(replica), List.of(TInt64.class))
                .components()
                .get(0);
    return tf.withName("step").assign(localStep, token);
  }

  /** The variable's gradient accumulator, on the variable's ps, shared by name. */
  private ConditionalAccumulator accumulator(Variable<TFloat32> var) {
    String name = var.op().name();
    return tf.withDevice(deviceOf(var))
        .withName(name.replace('/', '_') + "_grad_accum")
        .train
        .conditionalAccumulator(
            TFloat32.class, var.shape(), ConditionalAccumulator.sharedName(name + "/grad_accum"));
  }

  /** The ops that put tokens in, one into each replica's queue: after each update, at the end. */
  private void tokenOps(Op update, Variable<TInt64> globalStep) {
    globalStepValue = tf.identity(globalStep);
    Operand<TInt64> stepAfterUpdate = update.op().<TInt64>output(0);
    syncOp = tf.withName("sync_op").withControlDependencies(enqueueAll(stepAfterUpdate)).noOp();
    awaitApplied =
        tf.withName("sync_await_applied").io.queueDequeue(applied, List.of(TInt64.class));
    restartTokens =
        tf.withName("sync_restart_tokens")
            .withControlDependencies(enqueueAll(globalStepValue))
            .noOp();
    finalTokens =
        tf.withName("sync_final_tokens")
            .withControlDependencies(enqueueAll(globalStepValue))
            .noOp();
  }

  private List<Op> enqueueAll(Operand<TInt64> step) {
    List<Op> enqueues = new ArrayList<>();
    for (FifoQueue queue : tokens) {
      enqueues.add(tf.io.queueEnqueue(queue, List.of(step)));
    }
    return enqueues;
  }

  /** The global step's value. */
  Operand<TInt64> globalStep() {
    return globalStepValue;
  }

  /** A worker's first op once the variables are ready: its local step := the global step. */
  Op localInit() {
    return localInit;
  }

  /** The chief's first ops: the accumulators' global step. */
  Op chiefInit() {
    return chiefInit;
  }

  /** The chief's queue runner op: aggregate, apply, one token into each replica's queue. */
  Op syncOp() {
    return syncOp;
  }

  /**
   * True once every accumulator holds {@code replicasToAggregate} gradients: the sync op then runs
   * without waiting, so it is never cut off between two variables' takes.
   */
  Operand<TBool> ready() {
    return ready;
  }

  /**
   * Returns once a replica has applied its gradients (each replica's step puts one element into
   * {@code sync_applied_q} after its applies): the queue runner's wait between checks of {@link
   * #ready}. A dequeue cut off by its deadline takes nothing.
   */
  Op awaitApplied() {
    return awaitApplied;
  }

  /**
   * A restarted chief's start: one token per replica carrying the restored global step, so the
   * replicas blocked in their dequeue since before the restart apply gradients for that step.
   */
  Op restartTokens() {
    return restartTokens;
  }

  /**
   * The chief's end: one token per replica carrying the final global step, so no replica stays
   * blocked in its dequeue.
   */
  Op finalTokens() {
    return finalTokens;
  }

  private static DeviceSpec deviceOf(Variable<?> variable) {
    String device = ((GraphOperation) variable.op()).device();
    int task = Integer.parseInt(device.replaceAll(".*/task:(\\d+).*", "$1"));
    return PsDevices.device(task);
  }
}
