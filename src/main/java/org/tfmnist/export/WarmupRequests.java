package org.tfmnist.export;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.model.MnistShape;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * TF Serving's SavedModel warm-up file, {@code assets.extra/tf_serving_warmup_requests}: a TFRecord
 * file of {@code PredictionLog}s whose {@code predict_log.request}s a server runs on a new version
 * before it serves it, so the first client does not pay for TF's lazy initialisation. The exporter
 * writes one request of {@link #IMAGES} blank images on {@code serving_default}.
 */
public final class WarmupRequests {
  /** Where the file lies inside a SavedModel directory. */
  public static final String PATH = "assets.extra/tf_serving_warmup_requests";

  /** Images in the exporter's warm-up request. */
  public static final int IMAGES = 8;

  private WarmupRequests() {}

  /** Writes the exporter's warm-up file into {@code savedModel}. */
  static void write(Path savedModel) throws IOException {
    Path file = savedModel.resolve(PATH);
    Files.createDirectories(file.getParent());
    TensorProto images =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(
                TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(IMAGES))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(MnistShape.PIXELS)))
            .setTensorContent(ByteString.copyFrom(new byte[IMAGES * MnistShape.PIXELS * 4]))
            .build();
    PredictionLog log =
        PredictionLog.newBuilder()
            .setPredictLog(
                PredictLog.newBuilder()
                    .setRequest(
                        PredictRequest.newBuilder()
                            .setModelSpec(
                                ModelSpec.newBuilder()
                                    .setSignatureName(ServingSignature.DEFAULT_KEY))
                            .putInputs(ServingSignature.INPUT_IMAGES, images)))
            .build();
    try (OutputStream out = Files.newOutputStream(file)) {
      TfRecords.write(out, log.toByteArray());
    }
  }
}
