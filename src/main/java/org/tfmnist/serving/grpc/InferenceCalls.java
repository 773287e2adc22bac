package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.Inference;
import org.tfmnist.serving.PredictService;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.Inference.InferenceResult;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;

/**
 * TF Serving's {@code Classify}, {@code Regress} and {@code MultiInference} over gRPC: each task is
 * an {@link Inference} request on the shared {@link PredictService} (admission, lease, batching,
 * deadline, metrics under the API {@code classify} or {@code regress}).
 */
final class InferenceCalls {
  private final PredictService predicts;

  InferenceCalls(PredictService predicts) {
    this.predicts = predicts;
  }

  void classify(ClassificationRequest request, StreamObserver<ClassificationResponse> observer) {
    reply(
        run(request.hasModelSpec(), request.getModelSpec(), Inference.CLASSIFY, request.getInput()),
        observer,
        r ->
            ClassificationResponse.newBuilder()
                .setModelSpec(r.getModelSpec())
                .setResult(r.getClassificationResult())
                .build());
  }

  void regress(RegressionRequest request, StreamObserver<RegressionResponse> observer) {
    reply(
        run(request.hasModelSpec(), request.getModelSpec(), Inference.REGRESS, request.getInput()),
        observer,
        r ->
            RegressionResponse.newBuilder()
                .setModelSpec(r.getModelSpec())
                .setResult(r.getRegressionResult())
                .build());
  }

  /** Answers {@code observer} with {@code result} made into its response, or with its failure. */
  private static <R> void reply(
      CompletableFuture<InferenceResult> result,
      StreamObserver<R> observer,
      Function<InferenceResult, R> response) {
    result.whenComplete(
        (r, failure) -> {
          if (failure != null) {
            observer.onError(GrpcErrors.of(failure));
            return;
          }
          observer.onNext(response.apply(r));
          observer.onCompleted();
        });
  }

  /** Every task on the one input, in order; all must name the same model, no signature twice. */
  void multiInference(
      MultiInferenceRequest request, StreamObserver<MultiInferenceResponse> observer) {
    try {
      check(request);
    } catch (StatusException e) {
      observer.onError(e);
      return;
    }
    CompletableFuture<List<InferenceResult>> all =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (InferenceTask task : request.getTasksList()) {
      all =
          all.thenCompose(
              done ->
                  run(true, task.getModelSpec(), task.getMethodName(), request.getInput())
                      .thenApply(
                          r -> {
                            done.add(r);
                            return done;
                          }));
    }
    all.whenComplete(
        (results, failure) -> {
          if (failure != null) {
            observer.onError(GrpcErrors.of(failure));
            return;
          }
          observer.onNext(MultiInferenceResponse.newBuilder().addAllResults(results).build());
          observer.onCompleted();
        });
  }

  private static void check(MultiInferenceRequest request) throws StatusException {
    if (request.getTasksCount() == 0) {
      throw GrpcErrors.invalid("Empty tasks");
    }
    String model = request.getTasks(0).getModelSpec().getName();
    Set<String> signatures = new HashSet<>();
    for (InferenceTask t : request.getTasksList()) {
      if (!t.getModelSpec().getName().equals(model)) {
        throw GrpcErrors.invalid(
            "All ModelSpecs in a MultiInferenceRequest must access the same model name.");
      }
      if (!signatures.add(PredictionServiceImpl.signature(t.getModelSpec()))) {
        throw GrpcErrors.invalid(
            "Duplicate evaluation of signature: " + t.getModelSpec().getSignatureName());
      }
      if (!t.getMethodName().equals(Inference.CLASSIFY)
          && !t.getMethodName().equals(Inference.REGRESS)) {
        throw GrpcErrors.invalid("Unsupported signature method_name: " + t.getMethodName());
      }
    }
  }

  /** One classify or regress task, its answer as an InferenceResult. */
  private CompletableFuture<InferenceResult> run(
      boolean hasSpec, ModelSpec spec, String method, Input input) {
    PredictService.Target target;
    try {
      target = ModelSpecs.target(hasSpec, spec);
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
    Inference.Examples examples = () -> Inference.serialize(input);
    String key = PredictionServiceImpl.signature(spec);
    boolean classify = method.equals(Inference.CLASSIFY);
    return predicts
        .predict(
            target,
            key,
            def ->
                classify
                    ? Inference.classify(def, key, examples)
                    : Inference.regress(def, key, examples),
            PredictionServiceImpl.deadline(),
            classify ? "classify" : "regress")
        .thenApply(
            answer -> {
              InferenceResult.Builder r =
                  InferenceResult.newBuilder()
                      .setModelSpec(
                          PredictionServiceImpl.spec(target.model(), answer.version(), key));
              try {
                if (classify) {
                  r.setClassificationResult(Inference.classification(answer.outputs()));
                } else {
                  r.setRegressionResult(Inference.regression(answer.outputs()));
                }
              } catch (ApiException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
              return r.build();
            });
  }
}
