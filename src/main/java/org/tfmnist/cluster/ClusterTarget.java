package org.tfmnist.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.DevicePlacement;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.run.RunTarget;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.runtime.TargetSession;
import org.tfmnist.train.Replica;

/**
 * A training run as one worker task of a cluster (between-graph replication): variables on the ps
 * tasks, the session on this task's own gRPC master, this replica's data shard. The chief
 * initialises (or restores) the variables and at the end tells every ps task; a non-chief worker
 * polls the variables' initialised state (bounded) and never initialises them.
 */
public final class ClusterTarget implements RunTarget {
  /** How long a worker waits for the chief to initialise the variables. */
  public static final long READY_TIMEOUT_MS = 300_000;

  private static final long POLL_MS = 500;

  private final ClusterConfig config;
  private final int replicasToAggregate;
  private SyncReplicas sync;
  private SyncQueueRunner queueRunner;
  private Op finishedOp;
  private Operand<TBool> readyOp;

  /** Asynchronous updates (mnist_replica's default). */
  public ClusterTarget(ClusterConfig config) {
    this(config, 0);
  }

  /**
   * Synchronous updates aggregating {@code replicasToAggregate} gradients per step when it is
   * positive ({@code --sync-replicas}); asynchronous ones when it is 0.
   */
  public ClusterTarget(ClusterConfig config, int replicasToAggregate) {
    if (config.isPs()) {
      throw new IllegalArgumentException("a ps task runs no training: " + config.taskName());
    }
    this.config = config;
    this.replicasToAggregate = replicasToAggregate;
  }

  @Override
  public DevicePlacement placement() {
    if (replicasToAggregate == 0) {
      return new ReplicaPlacement(config.psCount());
    }
    DeviceSpec worker =
        DeviceSpec.newBuilder()
            .job(config.type().jobName())
            .replica(0)
            .task(config.index())
            .build();
    return new ReplicaPlacement(
        config.psCount(),
        base ->
            sync =
                new SyncReplicas(
                    base,
                    replicasToAggregate,
                    config.replicaCount(),
                    config.replicaIndex(),
                    worker));
  }

  /** The cluster, the update mode and each variable's device, for {@code run.properties}. */
  @Override
  public java.util.Map<String, String> describe(Graph graph) {
    java.util.Map<String, String> described = new java.util.TreeMap<>();
    described.put("cluster", config.describe());
    described.put(
        "cluster.updates",
        replicasToAggregate == 0 ? "async" : "sync, " + replicasToAggregate + " per step");
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (PlacingScope.VARIABLE_OPS.contains(op.type())) {
        described.put("device." + op.name(), op.device());
      }
    }
    return described;
  }

  @Override
  public void prepared(Session session) {
    if (sync == null) {
      return;
    }
    session.run(sync.chiefInit());
    session.run(sync.localInit());
    try (Result result = session.runner().fetch(sync.globalStep()).run()) {
      if (((TInt64) result.get(0)).getLong() > 0) {
        session.run(sync.restartTokens()); // a restarted chief: the replicas wait for a token
      }
    }
    queueRunner = new SyncQueueRunner(session, sync.ready(), sync.syncOp(), sync.awaitApplied());
    queueRunner.start();
  }

  @Override
  public Session open(Graph graph, SessionOptions options) {
    if (config.isChief()) {
      finishedOp = DoneQueues.signalAll(graph, config.psCount());
    } else {
      readyOp = variablesReady(graph);
    }
    Session session =
        TargetSession.open(
            graph,
            ClusterServer.target(config),
            ClusterServer.sessionConfig(config, options.toConfig()));
    if (!config.isChief()) {
      TargetSession.markInitialized(session);
    }
    return session;
  }

  @Override
  public Replica replica(DataSplits splits) {
    return new Replica(config.replicaCount(), config.replicaIndex(), true, splits.train().size());
  }

  @Override
  public DataSplits shard(DataSplits splits, long seed) {
    return DataShards.shard(splits, config.replicaCount(), config.replicaIndex(), seed);
  }

  @Override
  public boolean isChief() {
    return config.isChief();
  }

  @Override
  public void awaitVariables(Session session, ModelGraph model) throws TfmnistException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (true) {
      try (Result result = session.runner().fetch(readyOp).run()) {
        if (((TBool) result.get(0)).getBoolean()) {
          if (sync != null) {
            session.run(sync.localInit());
          }
          return;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        String chief = ClusterConfig.taskName(config.chiefType(), 0);
        throw new TfmnistException(
            chief
                + " did not initialise the variables within "
                + READY_TIMEOUT_MS / 1000
                + " s ("
                + config.describe()
                + ")");
      }
      sleep();
    }
  }

  @Override
  public void finished(Session session) {
    if (queueRunner != null) {
      queueRunner.stop();
      session.run(sync.finalTokens());
    }
    session.run(finishedOp);
  }

  /**
   * True once every variable on the ps tasks is initialised (each check runs on its ps task); a
   * replica's own local step is not the chief's to initialise.
   */
  private static Operand<TBool> variablesReady(Graph graph) {
    Ops tf = Ops.create(graph).withSubScope("ready");
    List<Operand<TBool>> checks = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (PlacingScope.VARIABLE_OPS.contains(op.type()) && op.device().contains("/job:ps")) {
        checks.add(tf.isVariableInitialized(op.output(0)));
      }
    }
    return tf.reduceAll(tf.stack(checks), tf.constant(0));
  }

  private static void sleep() throws TfmnistException {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted while waiting for the chief", e);
    }
  }
}
