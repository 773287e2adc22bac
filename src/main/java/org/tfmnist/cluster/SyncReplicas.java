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
  private final int tokensPerStep;
  private final DeviceSpec worker;
  private Ops tf;
  private Op localInit;
  private Op chiefInit;
  private Operand<TInt64> globalStepValue;
  private FifoQueue tokens;
  private Op syncOp;
  private Op initTokens;
  private Op finalTokens;

  SyncReplicas(Optimizer base, int replicasToAggregate, int replicas, DeviceSpec worker) {
    this.base = base;
    this.replicasToAggregate = replicasToAggregate;
    this.tokensPerStep = Math.max(replicas, replicasToAggregate);
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
    for (int i = 0; i < variables.size(); i++) {
      ConditionalAccumulator accumulator = accumulator(variables.get(i));
      applies.add(
          tf.train.accumulatorApplyGradient(accumulator.handle(), localStep, gradients.get(i)));
      averaged.add(
          tf.train.accumulatorTakeGradient(
              accumulator.handle(), tf.constant(replicasToAggregate), TFloat32.class));
      setSteps.add(tf.train.accumulatorSetGlobalStep(accumulator.handle(), globalStep));
    }
    chiefInit = tf.withControlDependencies(setSteps).withName("sync_chief_init").noOp();
    tokens =
        tf.withDevice(deviceOf(globalStep))
            .withName("sync_token_q")
            .io
            .fifoQueue(
                List.of(TInt64.class),
                FifoQueue.shapes(Shape.scalar()),
                FifoQueue.sharedName("sync_token_q"));
    tokenOps(base.applyGradients(tf, averaged, variables, globalStep), globalStep);
    @SuppressWarnings("unchecked")
    Operand<TInt64> token =
        (Operand<TInt64>)
            tf.withControlDependencies(applies)
                .io
                .queueDequeue(tokens, List.of(TInt64.class))
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

  /** The ops that put tokens in: after each {@code update}, at the start, at the end. */
  private void tokenOps(Op update, Variable<TInt64> globalStep) {
    globalStepValue = tf.identity(globalStep);
    Operand<TInt64> stepAfterUpdate = update.op().<TInt64>output(0);
    syncOp =
        tf.withName("sync_op")
            .io
            .queueEnqueueMany(tokens, List.of(fill(stepAfterUpdate, tokensPerStep)));
    initTokens =
        tf.withName("sync_init_tokens")
            .io
            .queueEnqueueMany(tokens, List.of(fill(globalStepValue, replicasToAggregate)));
    finalTokens =
        tf.withName("sync_final_tokens")
            .io
            .queueEnqueueMany(tokens, List.of(fill(globalStepValue, tokensPerStep)));
  }

  /** A worker's first op once the variables are ready: its local step := the global step. */
  Op localInit() {
    return localInit;
  }

  /** The chief's first ops: the accumulators' global step. */
  Op chiefInit() {
    return chiefInit;
  }

  /** The chief's queue runner op: aggregate, apply, hand out the next tokens. */
  Op syncOp() {
    return syncOp;
  }

  /** The chief's start: tokens carrying the global step, one per aggregated gradient (TF1). */
  Op initTokens() {
    return initTokens;
  }

  /**
   * The chief's end: one token per replica carrying the final global step, so no replica stays
   * blocked in its dequeue.
   */
  Op finalTokens() {
    return finalTokens;
  }

  private Operand<TInt64> fill(Operand<TInt64> value, int count) {
    return tf.fill(tf.constant(new int[] {count}), value);
  }

  private static DeviceSpec deviceOf(Variable<?> variable) {
    String device = ((GraphOperation) variable.op()).device();
    int task = Integer.parseInt(device.replaceAll(".*/task:(\\d+).*", "$1"));
    return PsDevices.device(task);
  }
}
