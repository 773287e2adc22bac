package org.tfmnist.serving.grpc;

import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import org.tensorflow.proto.error.Code;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.ModelConfigFile;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.VersionStatus;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelManagement.ReloadConfigResponse;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Status.StatusProto;

/**
 * TF Serving's {@code tensorflow.serving.ModelService}: {@code GetModelStatus} lists the versions
 * the model manager has seen with their states (a version label too); {@code
 * HandleReloadConfigRequest} applies the {@code ModelServerConfig} it is sent, as a {@code
 * --model_config_file} would.
 */
final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase {
  private final ModelManager models;

  ModelServiceImpl(ModelManager models) {
    this.models = models;
  }

  @Override
  public void getModelStatus(
      GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> observer) {
    try {
      String model = ModelSpecs.name(request.hasModelSpec(), request.getModelSpec());
      GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
      ModelSpec spec = request.getModelSpec();
      for (VersionStatus s :
          models.status(model, ModelSpecs.version(spec), ModelSpecs.label(spec))) {
        response.addModelVersionStatus(status(s));
      }
      observer.onNext(response.build());
      observer.onCompleted();
    } catch (ApiException e) {
      observer.onError(GrpcErrors.of(e));
    } catch (StatusException e) {
      observer.onError(e);
    }
  }

  private static ModelVersionStatus status(VersionStatus s) {
    Code code;
    try {
      code = Code.valueOf(s.errorCode());
    } catch (IllegalArgumentException e) {
      code = Code.UNKNOWN;
    }
    return ModelVersionStatus.newBuilder()
        .setVersion(s.version())
        .setState(state(s.state()))
        .setStatus(StatusProto.newBuilder().setErrorCode(code).setErrorMessage(s.errorMessage()))
        .build();
  }

  /** The proto's state of the same name. */
  static ModelVersionStatus.State state(VersionStatus.State state) {
    return switch (state) {
      case START -> ModelVersionStatus.State.START;
      case LOADING -> ModelVersionStatus.State.LOADING;
      case AVAILABLE -> ModelVersionStatus.State.AVAILABLE;
      case UNLOADING -> ModelVersionStatus.State.UNLOADING;
      case END -> ModelVersionStatus.State.END;
    };
  }

  /**
   * Applies the {@code ModelServerConfig} sent (its {@code model_config_list}) with {@link
   * ModelManager#apply}: OK, or INVALID_ARGUMENT naming the field, with the models served
   * unchanged.
   */
  @Override
  public void handleReloadConfigRequest(
      ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> observer) {
    try {
      models.apply(ModelConfigFile.map(request.getConfig(), "ReloadConfigRequest.config"));
    } catch (TfmnistException e) {
      observer.onError(GrpcErrors.invalid(e.getMessage()));
      return;
    }
    observer.onNext(
        ReloadConfigResponse.newBuilder()
            .setStatus(StatusProto.newBuilder().setErrorCode(Code.OK))
            .build());
    observer.onCompleted();
  }
}
