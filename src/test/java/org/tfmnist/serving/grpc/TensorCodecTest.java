package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.inference.Prediction;
import org.tfmnist.serving.PredictRequest;

/** TF Serving's tensors to images and back, without a model: encodings, TF's fill rule, errors. */
@Tag("unit")
class TensorCodecTest {
  private static final int MAX = 100;

  @Test
  void tensorContentIsLittleEndianFloats() throws StatusException {
    float[] values = new float[2 * 784];
    for (int i = 0; i < values.length; i++) {
      values[i] = i / 2000f;
    }
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    TensorProto t = floats(2).setTensorContent(ByteString.copyFrom(b)).build();
    PredictRequest r = TensorCodec.decode("serving_default", Map.of("images", t), MAX);
    assertEquals(2, r.count());
    assertArrayEquals(values, r.values());
    assertThrows(
        StatusException.class,
        () ->
            TensorCodec.decode(
                "serving_default",
                Map.of(
                    "images",
                    floats(2).setTensorContent(ByteString.copyFrom(new byte[12])).build()),
                MAX));
  }

  @Test
  void shortValueListsRepeatTheirLastValueAsTfDoes() throws StatusException {
    TensorProto t = floats(1).addFloatVal(0.25f).addFloatVal(0.5f).build();
    float[] v = TensorCodec.decode("serving_default", Map.of("images", t), MAX).values();
    assertEquals(0.25f, v[0]);
    assertEquals(0.5f, v[1]);
    assertEquals(0.5f, v[783]);
    float[] zeros =
        TensorCodec.decode("serving_default", Map.of("images", floats(1).build()), MAX).values();
    assertEquals(0f, zeros[783]);
  }

  @Test
  void pixelsAreUint8InIntValOrBytes() throws StatusException {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_UINT8)
            .setTensorShape(GrpcFixtures.shape(1, 28, 28));
    PredictRequest fromInts =
        TensorCodec.decode(
            "predict_pixels", Map.of("pixels", t.clone().addIntVal(255).addIntVal(7).build()), MAX);
    assertEquals(255f, fromInts.values()[0]);
    assertEquals(7f, fromInts.values()[783]);
    byte[] bytes = new byte[784];
    bytes[0] = (byte) 200;
    PredictRequest fromBytes =
        TensorCodec.decode(
            "predict_pixels",
            Map.of("pixels", t.setTensorContent(ByteString.copyFrom(bytes)).build()),
            MAX);
    assertEquals(200f, fromBytes.values()[0]);
    assertEquals((byte) 200, fromBytes.pixelBytes()[0]);
  }

  @Test
  void refusalsAreInvalidArgumentInTfServingsWords() {
    assertInvalid(
        "Expects arg[0] to be float but half is provided",
        Map.of("images", floats(1).setDtype(DataType.DT_HALF).build()));
    assertInvalid(
        "tensor parsing error: images", Map.of("images", floats(0).addFloatVal(1).build()));
    assertInvalid(
        "input images has shape [1, 28, 28]; the signature expects [-1,784]",
        Map.of("images", floats(1).setTensorShape(GrpcFixtures.shape(1, 28, 28)).build()));
    assertInvalid("holds 101 images; at most 100", Map.of("images", floats(101).build()));
    assertInvalid(
        "input size does not match signature: 1!=1 len({x}) != len({images}). Sent extra: {x}."
            + " Missing but required: {images}.",
        Map.of("x", floats(1).build()));
  }

  @Test
  void outputsAreFilteredAndEncodedWithShapes() throws StatusException {
    assertEquals(List.of("classes", "probabilities"), TensorCodec.outputs(List.of()));
    StatusException duplicate =
        assertThrows(
            StatusException.class, () -> TensorCodec.outputs(List.of("classes", "classes")));
    assertTrue(
        duplicate.getStatus().getDescription().contains("duplicate output tensor alias: classes"));
    float[] p = new float[10];
    p[3] = 1f;
    Prediction[] predictions = {new Prediction(3, p), new Prediction(3, p)};
    TensorProto classes = TensorCodec.encode("classes", predictions);
    assertEquals(DataType.DT_INT64, classes.getDtype());
    assertEquals(List.of(2L), GrpcFixtures.sizes(classes.getTensorShape()));
    assertEquals(List.of(3L, 3L), classes.getInt64ValList());
    TensorProto probabilities = TensorCodec.encode("probabilities", predictions);
    assertEquals(List.of(2L, 10L), GrpcFixtures.sizes(probabilities.getTensorShape()));
    assertEquals(1f, probabilities.getFloatVal(13));
  }

  private static TensorProto.Builder floats(int n) {
    return TensorProto.newBuilder()
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(GrpcFixtures.shape(n, 784));
  }

  private static void assertInvalid(String message, Map<String, TensorProto> inputs) {
    StatusException e =
        assertThrows(
            StatusException.class, () -> TensorCodec.decode("serving_default", inputs, MAX));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
  }
}
