package org.tfmnist.serving.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;

/**
 * TensorFlow Serving's gRPC API ({@code tensorflow.serving.PredictionService} and {@code
 * ModelService}) on Netty, over the same {@link PredictService} as the REST server: one set of
 * slots, workers, batching and metrics for both, and one {@link BodyBudget} when the caller passes
 * the REST server's: every request message is charged to it before it is parsed ({@code
 * MessageBudget}). {@link #stop()} answers the calls in flight (up to the drain timeout) before it
 * returns.
 */
public final class GrpcServer implements AutoCloseable {
  /**
   * Largest request message: 10,000 images of 784 floats are 31 MB as tensor_content, a little more
   * as float_val.
   */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final PredictService predicts;
  private final BodyBudget budget;
  private final ServingMetrics metrics;
  private final int maxImages;
  private final Duration drainTimeout;
  private final PrintStream log;
  private final GrpcOptions options;
  private Server server;
  private GrpcUnixSocket socket;

  /**
   * {@code maxImages}: most images in one Predict; {@code drainTimeout}: how long stop waits. The
   * request messages in flight have a budget of their own, {@link BodyBudget#defaultLimit()}.
   */
  public GrpcServer(
      PredictService predicts,
      ServingMetrics metrics,
      int maxImages,
      Duration drainTimeout,
      PrintStream log) {
    this(
        predicts, new BodyBudget(BodyBudget.defaultLimit()), metrics, maxImages, drainTimeout, log);
  }

  /**
   * As the other constructor, the request messages in flight charged to {@code budget}: the
   * process's one budget, shared with the REST server.
   */
  public GrpcServer(
      PredictService predicts,
      BodyBudget budget,
      ServingMetrics metrics,
      int maxImages,
      Duration drainTimeout,
      PrintStream log) {
    this(predicts, budget, metrics, maxImages, drainTimeout, GrpcOptions.DEFAULTS, log);
  }

  /**
   * As the other constructors, listening as {@code options} say: TLS ({@code --ssl_config_file})
   * and channel arguments ({@code --grpc_channel_arguments}).
   */
  public GrpcServer(
      PredictService predicts,
      BodyBudget budget,
      ServingMetrics metrics,
      int maxImages,
      Duration drainTimeout,
      GrpcOptions options,
      PrintStream log) {
    this.options = options;
    this.predicts = predicts;
    this.budget = budget;
    this.metrics = metrics;
    this.maxImages = maxImages;
    this.drainTimeout = drainTimeout;
    this.log = log;
  }

  /**
   * Binds {@code host:port} (port 0: any free port), and the Unix socket of {@code
   * --grpc_socket_path} when the options name one, and starts serving; returns the port bound.
   */
  public synchronized int start(String host, int port) throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    MessageBudget messages = new MessageBudget(budget, predicts::checkNotBusy, metrics);
    List<ServerServiceDefinition> services =
        List.of(
            messages.bound(new PredictionServiceImpl(predicts, metrics, maxImages).bindService()),
            messages.bound(new ModelServiceImpl(predicts.models()).bindService()));
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
    GrpcChannelArguments.apply(builder, options.channelArguments(), MAX_MESSAGE_BYTES, log);
    if (options.tls() != null) {
      builder.sslContext(GrpcTls.serverContext(options.tls()));
    }
    services.forEach(builder::addService);
    server = builder.build().start();
    if (options.socketPath() != null) {
      try {
        socket =
            GrpcUnixSocket.start(options.socketPath(), services, options, MAX_MESSAGE_BYTES, log);
      } catch (IOException | RuntimeException e) {
        server.shutdownNow();
        server = null;
        throw e;
      }
    }
    return server.getPort();
  }

  /** Refuses new calls, answers those in flight (up to the drain timeout), and stops. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    if (socket != null) {
      socket.shutdown();
    }
    try {
      if (!server.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.println("error: gRPC calls still running after " + drainTimeout + "; cancelling them");
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (socket != null) {
        socket.await(drainTimeout.toMillis());
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
    server = null;
  }

  @Override
  public void close() {
    stop();
  }
}
