package org.tfmnist.serving;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.export.TfRecords;
import org.tfmnist.export.WarmupRequests;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;
import tensorflow.serving.Predict;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * Runs a version's warm-up requests (TF Serving's {@code assets.extra/tf_serving_warmup_requests}:
 * a TFRecord file of {@code PredictionLog}s, each {@code predict_log.request} run once) before the
 * version becomes AVAILABLE. A version without the file needs no warm-up; a file that cannot be
 * read, or a request that fails, makes the version fail to load, as in TF Serving.
 */
final class Warmup {
  /** TF Serving's bound on the records of a warm-up file. */
  static final int MAX_RECORDS = 1000;

  private static final long MAX_RECORD_BYTES = 64L << 20;

  private Warmup() {}

  /** Runs the warm-up requests of the SavedModel in {@code dir}; returns how many ran. */
  static int run(Path dir, Servable servable) throws TfmnistException {
    Path file = dir.resolve(WarmupRequests.PATH);
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    List<byte[]> records;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      records = TfRecords.readAll(in, MAX_RECORDS, MAX_RECORD_BYTES);
    } catch (IOException e) {
      throw new TfmnistException(file + ": not a warm-up file: " + e.getMessage(), e);
    }
    for (int i = 0; i < records.size(); i++) {
      try {
        runOne(records.get(i), servable);
      } catch (InvalidProtocolBufferException | ApiException | RuntimeException e) {
        throw new TfmnistException(
            file
                + ": warm-up request "
                + i
                + " failed: "
                + TfmnistException.firstLine(String.valueOf(e.getMessage())),
            e);
      }
    }
    return records.size();
  }

  private static void runOne(byte[] record, Servable servable)
      throws InvalidProtocolBufferException, ApiException {
    PredictionLog log = PredictionLog.parseFrom(record);
    if (!log.hasPredictLog()) {
      throw new ApiException(
          400, "not a predict_log (" + log.getLogTypeCase() + "): only Predict warms up here");
    }
    Predict.PredictRequest request = log.getPredictLog().getRequest();
    String name = request.getModelSpec().getSignatureName();
    String key = name.isEmpty() ? ServingSignature.DEFAULT_KEY : name;
    SignatureDef def = SignatureCheck.signature(servable, key);
    Map<String, HostTensor> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, TensorProto> e : request.getInputsMap().entrySet()) {
      try {
        inputs.put(e.getKey(), TensorProtos.decode(e.getValue()));
      } catch (TensorProtos.BadTensorException bad) {
        throw new ApiException(
            400, "tensor parsing error: " + e.getKey() + ": " + bad.getMessage());
      }
    }
    SignatureCheck.inputs(def, inputs);
    servable.run(key, inputs, SignatureCheck.outputs(def, request.getOutputFilterList()));
  }
}
