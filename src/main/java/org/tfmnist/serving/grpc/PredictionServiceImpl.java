package org.tfmnist.serving.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.PredictService;
import org.tfmnist.serving.ServingMetrics;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;

/**
 * TF Serving's {@code tensorflow.serving.PredictionService}: {@code Predict} through the shared
 * {@link PredictService} (slots, batching, metrics, the client's deadline), {@code
 * GetModelMetadata} with the SavedModel's SignatureDefs, and {@code Classify}, {@code Regress} and
 * {@code MultiInference} ({@link InferenceCalls}).
 */
final class PredictionServiceImpl extends PredictionServiceGrpc.PredictionServiceImplBase {
  private final PredictService predicts;
  private final ModelManager models;
  private final ServingMetrics metrics;
  private final InferenceCalls inference;

  PredictionServiceImpl(PredictService predicts, ServingMetrics metrics, int maxImages) {
    this.predicts = predicts;
    this.models = predicts.models();
    this.metrics = metrics;
    this.inference = new InferenceCalls(predicts);
  }

  @Override
  public void predict(
      Predict.PredictRequest request, StreamObserver<Predict.PredictResponse> observer) {
    long start = System.nanoTime();
    AtomicReference<CompletableFuture<?>> call = new AtomicReference<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    onCancel(
        observer,
        () -> {
          cancelled.set(true);
          CompletableFuture<?> started = call.get();
          if (started != null) { // else the predict below sees the flag once it has started
            started.cancel(false);
          }
        });
    String model = request.getModelSpec().getName();
    String signature;
    PredictRequest inputs;
    PredictService.Target target;
    try {
      target = ModelSpecs.target(request.hasModelSpec(), request.getModelSpec());
      model = target.model();
      signature = signature(request.getModelSpec());
      inputs =
          new PredictRequest(
              signature,
              TensorCodec.decode(request.getInputsMap()),
              request.getOutputFilterList(),
              false);
    } catch (StatusException e) {
      fail(observer, model, "predict", e, start);
      return;
    }
    String name = model;
    CompletableFuture<PredictService.Answer> pending =
        predicts.predict(target, inputs, deadline(), "predict");
    call.set(pending);
    if (cancelled.get()) { // the cancel came between the handler and the predict: end it now
      pending.cancel(false);
    }
    pending.whenComplete(
        (answer, failure) -> {
          if (failure != null) {
            observer.onError(GrpcErrors.of(failure));
            return;
          }
          Predict.PredictResponse.Builder response =
              Predict.PredictResponse.newBuilder()
                  .setModelSpec(spec(name, answer.version(), signature));
          response.putAllOutputs(TensorCodec.encode(answer.outputs()));
          observer.onNext(response.build());
          observer.onCompleted();
        });
  }

  /** The signature asked for (empty: serving_default). */
  static String signature(ModelSpec spec) {
    return spec.getSignatureName().isEmpty()
        ? ServingSignature.DEFAULT_KEY
        : spec.getSignatureName();
  }

  /** The client's gRPC deadline on the {@link System#nanoTime()} clock, or none. */
  static long deadline() {
    Deadline d = Context.current().getDeadline();
    if (d == null) {
      return PredictService.NO_DEADLINE;
    }
    return System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS);
  }

  static ModelSpec spec(String model, long version, String signature) {
    return ModelSpec.newBuilder()
        .setName(model)
        .setVersion(Int64Value.of(version))
        .setSignatureName(signature)
        .build();
  }

  @Override
  public void getModelMetadata(
      GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> observer) {
    long start = System.nanoTime();
    String model = request.getModelSpec().getName();
    try {
      model = ModelSpecs.name(request.hasModelSpec(), request.getModelSpec());
      ModelSpec spec = request.getModelSpec();
      if (request.getMetadataFieldCount() == 0) {
        throw GrpcErrors.invalid(
            "GetModelMetadataRequest must specify at least one metadata_field");
      }
      for (String field : request.getMetadataFieldList()) {
        if (!field.equals("signature_def")) {
          throw GrpcErrors.invalid("Metadata field " + field + " is not supported");
        }
      }
      GetModelMetadataResponse response;
      try (ModelManager.Lease lease =
          models.lease(model, ModelSpecs.version(spec), ModelSpecs.label(spec))) {
        SignatureDefMap defs =
            SignatureDefMap.newBuilder().putAllSignatureDef(lease.model().signatures()).build();
        response =
            GetModelMetadataResponse.newBuilder()
                .setModelSpec(spec(model, lease.version(), ""))
                .putMetadata("signature_def", Any.pack(defs))
                .build();
      }
      metrics.request(model, "", "metadata", "GRPC", 200, System.nanoTime() - start);
      observer.onNext(response);
      observer.onCompleted();
    } catch (ApiException e) {
      fail(observer, model, "metadata", GrpcErrors.of(e), start);
    } catch (StatusException e) {
      fail(observer, model, "metadata", e, start);
    }
  }

  @Override
  public void classify(
      ClassificationRequest request, StreamObserver<ClassificationResponse> observer) {
    inference.classify(request, observer);
  }

  @Override
  public void regress(RegressionRequest request, StreamObserver<RegressionResponse> observer) {
    inference.regress(request, observer);
  }

  @Override
  public void multiInference(
      MultiInferenceRequest request, StreamObserver<MultiInferenceResponse> observer) {
    inference.multiInference(request, observer);
  }

  /**
   * Answers {@code e}; its metrics name the model only when the server serves it, so requests for
   * made-up names add no series.
   */
  private void fail(
      StreamObserver<?> observer, String model, String api, StatusException e, long start) {
    String named = models.serves(model) ? model : "";
    metrics.request(named, "", api, "GRPC", GrpcErrors.httpStatus(e), System.nanoTime() - start);
    observer.onError(e);
  }

  /**
   * {@code handler} runs when the client cancels (or its deadline passes); answering such a call
   * afterwards is then ignored instead of failing.
   */
  static void onCancel(StreamObserver<?> observer, Runnable handler) {
    if (observer instanceof ServerCallStreamObserver<?> call) {
      call.setOnCancelHandler(handler::run);
    }
  }
}
