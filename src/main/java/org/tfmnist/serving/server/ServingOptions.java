package org.tfmnist.serving.server;

import java.time.Duration;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.LoadOptions;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.serving.grpc.GrpcOptions;
import org.tfmnist.serving.http.ServerOptions;

/**
 * Everything a {@link ModelServer} needs, as TF Serving's {@code Server::Options} holds it: what is
 * served ({@code source}), where it listens ({@code host}, {@code grpcPort}, {@code restPort}; port
 * 0 picks a free one), the REST server's and the predict path's limits ({@code http}: predict
 * threads and queue, HTTP threads, deadlines, body memory, metrics), the gRPC server's TLS and
 * channel arguments ({@code grpc}), how versions load ({@code load}: session, tags, warm-up,
 * retries), batching, and how often the base paths and the config file are polled (zero: never).
 * {@code serve} builds it from the command line; {@code benchmark --serve} and {@code warm-up}
 * build it in code.
 */
public record ServingOptions(
    ModelSource source,
    String host,
    int grpcPort,
    int restPort,
    ServerOptions http,
    GrpcOptions grpc,
    LoadOptions load,
    BatchingOptions batching,
    Duration fileSystemPollWait,
    Duration configPollWait) {

  /**
   * {@code source} on 127.0.0.1, free ports, default limits, plaintext gRPC, default loading, no
   * batching, no polling: what code that starts a server for a moment (a benchmark, a warm-up, a
   * test) starts from.
   */
  public static ServingOptions local(ModelSource source) {
    return new ServingOptions(
        source,
        "127.0.0.1",
        0,
        0,
        ServerOptions.defaults(),
        GrpcOptions.DEFAULTS,
        LoadOptions.defaults(),
        BatchingOptions.OFF,
        Duration.ZERO,
        Duration.ZERO);
  }

  public ServingOptions withBatching(BatchingOptions batching) {
    return new ServingOptions(
        source,
        host,
        grpcPort,
        restPort,
        http,
        grpc,
        load,
        batching,
        fileSystemPollWait,
        configPollWait);
  }

  public ServingOptions withHttp(ServerOptions http) {
    return new ServingOptions(
        source,
        host,
        grpcPort,
        restPort,
        http,
        grpc,
        load,
        batching,
        fileSystemPollWait,
        configPollWait);
  }

  public ServingOptions withLoad(LoadOptions load) {
    return new ServingOptions(
        source,
        host,
        grpcPort,
        restPort,
        http,
        grpc,
        load,
        batching,
        fileSystemPollWait,
        configPollWait);
  }

  /** As this, the metrics served as {@code monitoring} says. */
  public ServingOptions withMonitoring(MonitoringOptions monitoring) {
    return withHttp(http.withMonitoring(monitoring));
  }
}
