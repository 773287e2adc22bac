package org.tfmnist.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.tensorflow.Server;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.RpcOptions.RPCOptions;
import org.tensorflow.proto.ServerDef;

/**
 * This task's TensorFlow gRPC server ({@code org.tensorflow.Server}), and the configuration every
 * session on it uses. TensorFlow 2.18's gRPC server cannot be stopped ({@code close()} answers
 * "Clean shutdown is not currently implemented"): it lives until the process exits, so a task ends
 * by returning from the command, which exits the JVM.
 */
public final class ClusterServer {
  /**
   * Every blocking op (a queue dequeue, a wait on an accumulator) and every RPC of a session fails
   * after this long ({@code operation_timeout_in_ms}), so a lost task ends a run instead of hanging
   * it.
   */
  public static final long OPERATION_TIMEOUT_MS = 60_000;

  private final Server server;

  private ClusterServer(Server server) {
    this.server = server;
  }

  /**
   * Starts {@code config}'s task. Its port must be free: another process on it is reported with one
   * line naming the source of the cluster, before TensorFlow tries to bind.
   */
  public static ClusterServer start(ClusterConfig config) throws ClusterConfigException {
    HostPort own = HostPort.parse(config.address(), config.source());
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(own.port()));
    } catch (IOException e) {
      throw new ClusterConfigException(
          config.source()
              + ": "
              + config.type().jobName()
              + ":"
              + config.index()
              + " address "
              + config.address()
              + ": port "
              + own.port()
              + " already in use");
    }
    try {
      Server server = new Server(serverDef(config));
      server.start();
      return new ClusterServer(server);
    } catch (TensorFlowException e) {
      throw new ClusterConfigException(
          config.source()
              + ": cannot start "
              + config.taskName()
              + " on "
              + config.address()
              + ": "
              + org.tfmnist.TfmnistException.firstLine(e.getMessage()));
    }
  }

  /** The {@code ServerDef} for {@code config}'s task: the whole cluster, gRPC. */
  public static ServerDef serverDef(ClusterConfig config) {
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    for (TaskType job : TaskType.values()) {
      if (config.tasks(job).isEmpty()) {
        continue;
      }
      JobDef.Builder jobDef = JobDef.newBuilder().setName(job.jobName());
      for (int i = 0; i < config.tasks(job).size(); i++) {
        jobDef.putTasks(i, config.tasks(job).get(i));
      }
      cluster.addJob(jobDef);
    }
    return ServerDef.newBuilder()
        .setCluster(cluster)
        .setJobName(config.type().jobName())
        .setTaskIndex(config.index())
        .setProtocol("grpc")
        .build();
  }

  /**
   * {@code base} plus what a session of this task needs: device filters (the ps tasks and this task
   * only, so a worker's session neither waits for nor breaks with the other workers, as
   * mnist_replica sets them) and TensorFlow's operation timeout.
   */
  public static ConfigProto sessionConfig(ClusterConfig config, ConfigProto base) {
    ConfigProto.Builder builder =
        base.toBuilder()
            .clearDeviceFilters()
            .addDeviceFilters("/job:" + TaskType.PS.jobName())
            .setOperationTimeoutInMs(OPERATION_TIMEOUT_MS)
            .setRpcOptions(RPCOptions.newBuilder().setCacheRpcResponse(false));
    if (!config.isPs()) {
      builder.addDeviceFilters("/job:" + config.type().jobName() + "/task:" + config.index());
    }
    return builder.build();
  }

  /** {@code grpc://host:port} of this task's own master. */
  public static String target(ClusterConfig config) {
    return "grpc://" + config.address();
  }

  /** Waits until the server stops, which in TensorFlow 2.18 means until the process exits. */
  public void join() {
    server.join();
  }
}
