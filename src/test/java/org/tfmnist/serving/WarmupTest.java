package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.TrainedModels;
import org.tfmnist.export.TfRecords;
import org.tfmnist.export.WarmupRequests;
import org.tfmnist.runtime.SessionOptions;
import tensorflow.serving.Predict;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * TF Serving's warm-up file: the exporter writes one in TF Serving's format, a version runs it
 * before it is AVAILABLE, and a version whose warm-up fails (a request the model refuses, a file
 * whose checksum fails) never becomes AVAILABLE while the older version keeps serving.
 */
@Tag("data")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmupTest {
  @TempDir Path tmp;

  @Test
  void aVersionIsAvailableOnlyOnceItsWarmupRan() throws Exception {
    Path model = TrainedModels.softmax(tmp.resolve("softmax/1")).savedModel();
    Path file = model.resolve(WarmupRequests.PATH);
    List<byte[]> records;
    try (InputStream in = Files.newInputStream(file)) {
      records = TfRecords.readAll(in, 10, 1 << 20);
    }
    assertEquals(1, records.size());
    Predict.PredictRequest request =
        PredictionLog.parseFrom(records.get(0)).getPredictLog().getRequest();
    TensorProto images = request.getInputsOrThrow("images");
    assertEquals(DataType.DT_FLOAT, images.getDtype());
    assertEquals(WarmupRequests.IMAGES, images.getTensorShape().getDim(0).getSize());
    assertEquals(784, images.getTensorShape().getDim(1).getSize());

    Path base = tmp.resolve("base");
    ModelVersionsTest.copy(model, base.resolve("1"));
    ModelVersionsTest.copy(model, base.resolve("2"));
    ModelVersionsTest.copy(model, base.resolve("3"));
    writeRecord( // version 2: a request for the pixels signature with the images input
        base.resolve("2").resolve(WarmupRequests.PATH),
        PredictionLog.newBuilder()
            .setPredictLog(
                PredictLog.newBuilder()
                    .setRequest(
                        request.toBuilder()
                            .setModelSpec(
                                request.getModelSpec().toBuilder()
                                    .setSignatureName("predict_pixels"))))
            .build()
            .toByteArray());
    byte[] corrupt = Files.readAllBytes(base.resolve("3").resolve(WarmupRequests.PATH));
    corrupt[20] ^= 1; // version 3: a flipped bit in the record's data
    Files.write(base.resolve("3").resolve(WarmupRequests.PATH), corrupt);

    try (ModelManager models =
        ModelManager.forConfigs(
            List.of(new ModelConfig("mnist", base, new VersionPolicy.All(), java.util.Map.of())),
            Duration.ZERO,
            LoadOptions.defaults(),
            BatchingOptions.OFF,
            n -> {},
            ModelVersionsTest.QUIET)) {
      assertEquals(VersionStatus.State.AVAILABLE, models.status("mnist", 1L).get(0).state());
      VersionStatus two = models.status("mnist", 2L).get(0);
      assertEquals(VersionStatus.State.END, two.state());
      assertTrue(
          two.errorMessage()
              .contains(
                  "tf_serving_warmup_requests: warm-up request 0 failed: input size does not match"
                      + " signature"),
          two.errorMessage());
      VersionStatus three = models.status("mnist", 3L).get(0);
      assertEquals(VersionStatus.State.END, three.state());
      assertTrue(
          three.errorMessage().contains("not a warm-up file: record 0: data checksum mismatch"),
          three.errorMessage());
      try (ModelManager.Lease lease = models.lease("mnist", null)) {
        assertEquals(1, lease.version(), "the newest version that warmed up serves");
      }
    }
  }

  /**
   * While a slow warm-up runs (100 requests of 10,000 images), the new version is LOADING and the
   * old one answers: the test reads the state and leases a version while the loading thread is
   * inside the warm-up ({@link Warmup#run} on its stack before and after the reads), so it looks at
   * the warm-up itself, not at a moment that a sleep or a timer picked.
   */
  @Test
  void aVersionStaysLoadingWhileItsWarmupRunsAndTheOldOneServes() throws Exception {
    Path model = TrainedModels.softmax(tmp.resolve("softmax/1")).savedModel();
    Path base = tmp.resolve("slow");
    ModelVersionsTest.copy(model, base.resolve("1"));
    ModelVersionsTest.copy(model, base.resolve("2"));
    Path two = base.resolve("2");
    Files.delete(two.resolve(WarmupRequests.PATH));
    try (ModelManager models =
        ModelManager.forConfigs(
            List.of(ModelConfig.latest("mnist", base)),
            Duration.ZERO,
            LoadOptions.defaults(),
            BatchingOptions.OFF,
            n -> {},
            ModelVersionsTest.QUIET)) {
      assertEquals(2, models.latestLoaded("mnist"));
      ModelVersionsTest.copy(model, base.resolve("3"));
      Path three = base.resolve("3");
      writeSlowWarmup(three.resolve(WarmupRequests.PATH));
      try (Servable p =
          SavedModelServable.load(three, ModelManager.DEFAULT_TAGS, SessionOptions.standard())) {
        assertEquals(100, Warmup.run(three, p), "the warm-up's requests");
      }
      models.poll(); // first sight: the files must stay the same over one poll
      Thread loader = new Thread(models::poll, "test-poll");
      loader.start();
      VersionStatus during = null;
      long leased = -1;
      while (during == null && loader.isAlive()) {
        if (inWarmup(loader)) {
          VersionStatus latest = models.status("mnist", null).get(0);
          try (ModelManager.Lease lease = models.lease("mnist", null)) {
            leased = lease.version();
          }
          if (inWarmup(loader)) { // still in it: the reads were made during the warm-up
            during = latest;
          }
        }
        Thread.sleep(1); // a look at the thread's stack stops it briefly: not in a tight loop
      }
      loader.join(TimeUnit.MINUTES.toMillis(2));
      assertTrue(during != null, "never saw the loading thread in version 3's warm-up");
      assertEquals(3, during.version(), "version 3 listed during its warm-up");
      assertEquals(
          VersionStatus.State.LOADING, during.state(), "version 3's state during its warm-up");
      assertEquals(2, leased, "the old version answers during the warm-up");
      assertEquals(VersionStatus.State.AVAILABLE, models.status("mnist", 3L).get(0).state());
      assertEquals(3, models.latestLoaded("mnist"));
    }
  }

  /** Whether {@code thread} is running a version's warm-up now. */
  private static boolean inWarmup(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(Warmup.class.getName())) {
        return true;
      }
    }
    return false;
  }

  /** 100 predict requests of 10,000 images each (one float_val: TF's fill rule repeats it). */
  private static void writeSlowWarmup(Path file) throws Exception {
    TensorProto images =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(
                TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(10_000))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(784)))
            .addFloatVal(0.5f)
            .build();
    byte[] record =
        PredictionLog.newBuilder()
            .setPredictLog(
                PredictLog.newBuilder()
                    .setRequest(Predict.PredictRequest.newBuilder().putInputs("images", images)))
            .build()
            .toByteArray();
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 100; i++) {
        TfRecords.write(out, record);
      }
    }
  }

  private static void writeRecord(Path file, byte[] data) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      TfRecords.write(out, data);
    }
  }
}
