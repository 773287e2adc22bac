package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tfmnist.serving.grpc.GrpcFixtures.assertStatus;
import static org.tfmnist.serving.grpc.GrpcFixtures.channel;
import static org.tfmnist.serving.grpc.GrpcFixtures.copy;
import static org.tfmnist.serving.grpc.GrpcFixtures.images;
import static org.tfmnist.serving.grpc.GrpcFixtures.request;
import static org.tfmnist.serving.grpc.GrpcFixtures.spec;

import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TrainedModels;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ModelVersionsTest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.VersionStatus;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc;

/** GetModelStatus and Predict over gRPC while a new version lands under a base path. */
@Tag("data")
class GrpcVersionsTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void train() throws Exception {
    GrpcFixtures.test();
    model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
  }

  @Test
  void statusFollowsANewVersionAndPredictMovesToIt() throws Exception {
    Path base = tmp.resolve("base");
    copy(model, base.resolve("1"));
    try (ModelManager versions =
            ModelVersionsTest.latest(base, Duration.ZERO, BatchingOptions.OFF, QUIET);
        PredictService service = new PredictService(versions, new ServingMetrics(), 2, 8);
        GrpcServer server =
            new GrpcServer(service, new ServingMetrics(), 100, Duration.ofSeconds(5), QUIET)) {
      ManagedChannel ch = channel(server.start("127.0.0.1", 0));
      try {
        copy(model, base.resolve("2"));
        versions.poll(); // a new version loads once it looked the same on two polls
        versions.poll();
        // version 1 unloads on the manager's unload thread, once its last lease is closed
        Await.until(
            "version 1 unloaded",
            () -> ModelVersionsTest.state(versions, 1) == VersionStatus.State.END);
        GetModelStatusResponse r =
            ModelServiceGrpc.newBlockingStub(ch)
                .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec()).build());
        assertEquals(2, r.getModelVersionStatusCount(), r.toString());
        assertEquals(2, r.getModelVersionStatus(0).getVersion());
        assertEquals(ModelVersionStatus.State.AVAILABLE, r.getModelVersionStatus(0).getState());
        assertEquals(1, r.getModelVersionStatus(1).getVersion());
        assertEquals(ModelVersionStatus.State.END, r.getModelVersionStatus(1).getState());
        PredictionServiceGrpc.PredictionServiceBlockingStub s =
            PredictionServiceGrpc.newBlockingStub(ch);
        assertEquals(
            2, s.predict(request(images(0, 1, true))).getModelSpec().getVersion().getValue());
        assertStatus(
            Status.Code.NOT_FOUND,
            "Servable not found for request: Specific(mnist, 1)",
            () ->
                s.predict(
                    request(images(0, 1, true)).toBuilder()
                        .setModelSpec(spec().setVersion(Int64Value.of(1)))
                        .build()));
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
