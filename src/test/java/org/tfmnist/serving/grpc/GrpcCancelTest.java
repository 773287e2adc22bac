package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;
import org.tfmnist.testdata.ForeignModels;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict;

/**
 * A gRPC cancel that arrives after the call registered its cancel handler but before its predict
 * started is not lost: the predict ends as cancelled and its slot is freed. And a failure inside
 * the server reaches the client as INTERNAL without a Java class name.
 */
@Tag("unit")
class GrpcCancelTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path tmp;

  /** A call whose client cancels the moment the server registers its cancel handler. */
  static final class CancelledAtOnce extends ServerCallStreamObserver<Predict.PredictResponse> {
    volatile boolean answered;

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {
      onCancelHandler.run(); // the cancel comes before the predict has started
    }

    @Override
    public boolean isCancelled() {
      return true;
    }

    @Override
    public void onNext(Predict.PredictResponse value) {
      answered = true;
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
  }

  @Test
  void aCancelBeforeThePredictStartsEndsIt() throws Exception {
    Path model = ForeignModels.tutorialContract(tmp.resolve("m"));
    ServingMetrics metrics = new ServingMetrics();
    try (ModelManager models =
            ModelManager.forDirectory("mnist", model, BatchingOptions.OFF, n -> {}, QUIET);
        PredictService predicts = new PredictService(models, metrics, 1, 4, QUIET)) {
      PredictionServiceImpl service = new PredictionServiceImpl(predicts, metrics, 100);
      CancelledAtOnce call = new CancelledAtOnce();
      service.predict(
          Predict.PredictRequest.newBuilder()
              .setModelSpec(ModelSpec.newBuilder().setName("mnist"))
              .putInputs(
                  "images",
                  TensorProtos.encode(HostTensor.floats(new long[] {1, 784}, new float[784])))
              .build(),
          call);
      Await.until("the cancelled predict freed its slot", () -> predicts.inFlight() == 0);
      assertFalse(call.answered, "a cancelled call was answered");
      assertTrue(
          metrics.scrape().contains("status=\"CANCELLED\"} 1"),
          "the predict ran to its end: " + metrics.scrape());
    }
  }

  @Test
  void anInternalFailureNamesNoJavaClass() {
    StatusException e = GrpcErrors.of(new IllegalStateException("boom in java.lang land"));
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertFalse(
        e.getStatus().getDescription().contains("Exception"), e.getStatus().getDescription());
  }
}
