package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.PredictRequest;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.TensorProtos;

/**
 * Fuzzes the REST predict body: whatever the bytes, parsing and typing them by a signature (a float
 * input and a string input, or this project's single float input) gives well-formed tensors or a
 * one-line 400 {@link ApiException}, never another exception. In {@code mvn test} it replays the
 * committed seeds ({@code PredictBodyFuzzTestInputs/}) and then fuzzes for a bounded time in its
 * own surefire execution; {@code JAZZER_FUZZ=1 mvn test -Dtest=PredictBodyFuzzTest} fuzzes by hand.
 */
@Tag("unit")
class PredictBodyFuzzTest {
  private static TensorInfo info(DataType type, long... dims) {
    return TensorInfo.newBuilder()
        .setName("t:0")
        .setDtype(type)
        .setTensorShape(TensorProtos.shapeProto(dims))
        .build();
  }

  private static final SignatureDef ONE =
      SignatureDef.newBuilder().putInputs("images", info(DataType.DT_FLOAT, -1, 784)).build();

  private static final SignatureDef TWO =
      SignatureDef.newBuilder()
          .putInputs("x", info(DataType.DT_FLOAT, -1, 3))
          .putInputs("s", info(DataType.DT_STRING, -1))
          .build();

  @FuzzTest(maxDuration = "3s")
  void parsesOnlyIntoWellFormedTensorsOrApiErrors(FuzzedDataProvider data) {
    boolean two = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    try {
      PredictBody parsed = PredictBody.parse(body);
      PredictRequest r = parsed.request(two ? TWO : ONE);
      for (Map.Entry<String, HostTensor> e : r.inputs().entrySet()) {
        HostTensor t = e.getValue();
        assertEquals(HostTensor.elements(t.shape()), t.size(), e.getKey());
        if (t.stringValues() == null) {
          assertEquals(t.size() * t.dtype().size(), t.data().length, e.getKey());
        }
      }
    } catch (ApiException e) {
      assertEquals(400, e.status, e.getMessage());
      assertTrue(
          !e.getMessage().isBlank() && !e.getMessage().contains("\n"),
          "message: " + e.getMessage());
    }
  }
}
