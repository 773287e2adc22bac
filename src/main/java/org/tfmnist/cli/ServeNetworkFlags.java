package org.tfmnist.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.MonitoringOptions;
import org.tfmnist.serving.grpc.GrpcChannelArguments;
import org.tfmnist.serving.grpc.GrpcOptions;
import org.tfmnist.serving.http.ServerOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where and how {@code serve} listens: TF Serving's {@code --port}, {@code --grpc_socket_path},
 * {@code --rest_api_port}, {@code --rest_api_num_threads}, {@code --rest_api_timeout_in_ms}, {@code
 * --ssl_config_file}, {@code --grpc_channel_arguments}, {@code --grpc_max_threads} and {@code
 * --monitoring_config_file}, and tfmnist's {@code --host}, {@code --threads} and {@code
 * --max_queued_requests}.
 */
final class ServeNetworkFlags {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8500",
      description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--grpc_socket_path",
      paramLabel = "PATH",
      defaultValue = "",
      description = "A Unix socket for gRPC as well as --port (Linux; default: none).")
  String socketPath;

  @Option(
      names = "--rest_api_port",
      paramLabel = "PORT",
      defaultValue = "8501",
      description = "REST port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int restPort;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the models).")
  String host;

  @Option(
      names = "--rest_api_num_threads",
      paramLabel = "N",
      description = "HTTP threads that read and answer REST requests (default: 4 per core).")
  Integer httpThreads;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "8",
      description = "Predicts run at once, REST and gRPC together (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--max_queued_requests",
      paramLabel = "N",
      description =
          "Predicts that may wait for a thread; beyond, 503 / UNAVAILABLE at once (default:"
              + " max_enqueued_batches x max_batch_size with batching, else "
              + ServerOptions.DEFAULT_QUEUE
              + ").")
  Integer queue;

  @Option(
      names = "--rest_api_timeout_in_ms",
      paramLabel = "MS",
      defaultValue = "30000",
      description =
          "A REST predict's deadline from its arrival: past it, 504 DEADLINE_EXCEEDED (default:"
              + " ${DEFAULT-VALUE}). gRPC calls use the client's deadline.")
  long timeoutMs;

  @Option(
      names = "--ssl_config_file",
      paramLabel = "FILE",
      description =
          "TF Serving's text-format SSLConfig: gRPC over TLS (server_key, server_cert,"
              + " custom_ca, client_verify).")
  Path sslConfigFile;

  @Option(
      names = "--grpc_channel_arguments",
      paramLabel = "ARGS",
      defaultValue = "",
      description =
          "gRPC arguments, e.g. grpc.max_receive_message_length=8388608,"
              + "grpc.keepalive_time_ms=10000 (docs/serving-tfserving.md).")
  String channelArguments;

  @Option(
      names = "--grpc_max_threads",
      paramLabel = "N",
      description = "Accepted (TF Serving's gRPC threads); gRPC shares the predict workers here.")
  Integer grpcMaxThreads;

  @Option(
      names = "--monitoring_config_file",
      paramLabel = "FILE",
      description =
          "TF Serving's text-format MonitoringConfig: with prometheus_config { enable:"
              + " true }, the metrics at its path (default /monitoring/prometheus/metrics).")
  Path monitoringConfigFile;

  /** The REST server's and predict path's limits; {@code defaultQueue} when no queue is given. */
  ServerOptions http(CommandSpec spec, int defaultQueue) throws TfmnistException {
    int q = queue == null ? defaultQueue : queue;
    int http = httpThreads == null ? ServerOptions.defaultHttpThreads() : httpThreads;
    if (threads < 1 || q < 0 || timeoutMs < 1 || http < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--threads, --rest_api_num_threads and --rest_api_timeout_in_ms must be >= 1,"
              + " --max_queued_requests >= 0");
    }
    MonitoringOptions monitoring =
        monitoringConfigFile == null
            ? MonitoringOptions.OFF
            : MonitoringOptions.read(monitoringConfigFile);
    return ServerOptions.defaults()
        .withThreads(threads, q)
        .withRequestTimeout(Duration.ofMillis(timeoutMs))
        .withHttpThreads(http)
        .withMonitoring(monitoring);
  }

  /** TLS and channel arguments. */
  GrpcOptions grpc() throws TfmnistException {
    GrpcOptions.Tls tls = sslConfigFile == null ? null : GrpcOptions.Tls.read(sslConfigFile);
    return new GrpcOptions(
        tls,
        GrpcChannelArguments.parse(channelArguments),
        socketPath.isEmpty() ? null : Path.of(socketPath));
  }
}
