package org.tfmnist.serving;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tfmnist.serving.grpc.GrpcServer;
import org.tfmnist.serving.http.RestServer;
import org.tfmnist.serving.http.ServerOptions;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Test fixture: models served over REST and gRPC on loopback from one {@link PredictService}, with
 * a gRPC stub, the REST base URL {@code http://127.0.0.1:PORT/v1/models/} and the metrics both
 * protocols and the batches feed. Closing it stops everything it started.
 */
final class ServedModels implements AutoCloseable {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  final ServingMetrics metrics = new ServingMetrics();
  final ModelManager models;
  final PredictService predicts;
  final RestServer rest;
  final GrpcServer grpc;
  final ManagedChannel channel;
  final PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  final String base;

  private ServedModels(List<ModelConfig> configs, BatchingOptions batching) throws Exception {
    models =
        ModelManager.forConfigs(
            configs, Duration.ZERO, LoadOptions.defaults(), batching, metrics, QUIET);
    predicts = new PredictService(models, metrics, 2, 16, QUIET);
    rest =
        new RestServer(
            predicts, new BodyBudget(64L << 20), ServerOptions.defaults(), metrics, QUIET);
    base = "http://127.0.0.1:" + rest.start("127.0.0.1", 0) + "/v1/models/";
    grpc = new GrpcServer(predicts, metrics, 10_000, Duration.ofSeconds(5), QUIET);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpc.start("127.0.0.1", 0))
            .usePlaintext()
            .build();
    stub = PredictionServiceGrpc.newBlockingStub(channel);
  }

  /** Serves {@code configs} (their versions loaded now) with {@code batching}. */
  static ServedModels start(List<ModelConfig> configs, BatchingOptions batching) throws Exception {
    return new ServedModels(configs, batching);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.stop();
    rest.stop();
    predicts.close();
    models.close();
  }
}
