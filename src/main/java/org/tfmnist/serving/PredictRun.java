package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * One admitted predict, as a task: prepares the request knowing its signature, checks it ({@link
 * SignatureCheck}), runs it on the version (batched or on a worker) and completes {@code work} with
 * the {@link PredictService.Answer}. Completing {@code work} early (a deadline, a cancel) reaches
 * the model's own future, which drops the run if it has not started.
 */
final class PredictRun {
  private PredictRun() {}

  static Runnable of(
      ServableVersion servable,
      String signature,
      PredictService.Preparer prepare,
      CompletableFuture<PredictService.Answer> work,
      Executor workers) {
    return () -> {
      if (work.isDone()) {
        return;
      }
      try {
        SignatureDef def = SignatureCheck.signature(servable.servable(), signature);
        PredictRequest request = prepare.prepare(def);
        SignatureCheck.inputs(def, request.inputs());
        List<String> outputs = SignatureCheck.outputs(def, request.outputFilter());
        long submitted = System.nanoTime();
        CompletableFuture<Map<String, HostTensor>> model =
            servable.run(signature, request.inputs(), outputs, workers);
        work.whenComplete(
            (a, f) -> {
              if (f != null) { // a deadline or a cancel: drop the model's work
                model.completeExceptionally(f);
              }
            });
        model.whenComplete(
            (out, f) -> {
              if (f == null) {
                long micros = (System.nanoTime() - submitted) / 1000;
                work.complete(new PredictService.Answer(servable.version(), request, out, micros));
              } else {
                work.completeExceptionally(f);
              }
            });
      } catch (Exception | Error e) {
        work.completeExceptionally(e);
      }
    };
  }
}
