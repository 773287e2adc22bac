package org.tfmnist.serving.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * TensorProto to host tensors and back for every served dtype, without a model: tensor_content, the
 * typed fields, TF's fill rule, 16-bit floats, rows, and the refusals.
 */
@Tag("unit")
class TensorProtosTest {
  private static TensorProto.Builder proto(DataType type, long... dims) {
    return TensorProto.newBuilder().setDtype(type).setTensorShape(TensorProtos.shapeProto(dims));
  }

  @Test
  void tensorContentIsLittleEndian() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      b.putFloat(i / 4f);
    }
    HostTensor t =
        TensorProtos.decode(
            proto(DataType.DT_FLOAT, 2, 3)
                .setTensorContent(ByteString.copyFrom(b.array()))
                .build());
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertEquals(1.25, t.doubleAt(5));
    assertThrows(
        TensorProtos.BadTensorException.class,
        () ->
            TensorProtos.decode(
                proto(DataType.DT_FLOAT, 2, 3)
                    .setTensorContent(ByteString.copyFrom(new byte[12]))
                    .build()));
  }

  @Test
  void shortValueListsRepeatTheirLastValueAsTfDoes() throws Exception {
    HostTensor t =
        TensorProtos.decode(proto(DataType.DT_INT64, 4).addInt64Val(7).addInt64Val(9).build());
    assertEquals(List.of(7L, 9L, 9L, 9L), longs(t));
    HostTensor zeros = TensorProtos.decode(proto(DataType.DT_INT32, 3).build());
    assertEquals(List.of(0L, 0L, 0L), longs(zeros));
    assertThrows(
        TensorProtos.BadTensorException.class,
        () -> TensorProtos.decode(proto(DataType.DT_INT32, 1).addIntVal(1).addIntVal(2).build()));
  }

  @Test
  void everyDtypeRoundTripsThroughItsTypedField() throws Exception {
    List<TensorProto> protos =
        List.of(
            proto(DataType.DT_FLOAT, 2).addFloatVal(1.5f).addFloatVal(-2f).build(),
            proto(DataType.DT_DOUBLE, 2).addDoubleVal(1e-300).addDoubleVal(3).build(),
            proto(DataType.DT_HALF, 2).addHalfVal(0x3c00).addHalfVal(0xc000).build(),
            proto(DataType.DT_BFLOAT16, 2).addHalfVal(0x3f80).addHalfVal(0x4049).build(),
            proto(DataType.DT_INT8, 2).addIntVal(-128).addIntVal(127).build(),
            proto(DataType.DT_INT16, 2).addIntVal(-32768).addIntVal(5).build(),
            proto(DataType.DT_INT32, 2).addIntVal(Integer.MIN_VALUE).addIntVal(3).build(),
            proto(DataType.DT_INT64, 2).addInt64Val(Long.MAX_VALUE).addInt64Val(-1).build(),
            proto(DataType.DT_UINT8, 2).addIntVal(255).addIntVal(0).build(),
            proto(DataType.DT_UINT16, 2).addIntVal(65535).addIntVal(1).build(),
            proto(DataType.DT_UINT32, 2).addUint32Val(-1).addUint32Val(2).build(),
            proto(DataType.DT_UINT64, 2).addUint64Val(-1L).addUint64Val(2).build(),
            proto(DataType.DT_BOOL, 2).addBoolVal(true).addBoolVal(false).build(),
            proto(DataType.DT_STRING, 2)
                .addStringVal(ByteString.copyFromUtf8("a"))
                .addStringVal(ByteString.copyFrom(new byte[] {0, -1}))
                .build());
    for (TensorProto p : protos) {
      assertEquals(p, TensorProtos.encode(TensorProtos.decode(p)), p.getDtype().name());
    }
  }

  @Test
  void sixteenBitFloatsReadAsTheirFloatValues() throws Exception {
    HostTensor half =
        TensorProtos.decode(
            proto(DataType.DT_HALF, 3)
                .addHalfVal(0x3c00)
                .addHalfVal(0x3555)
                .addHalfVal(0x0001)
                .build());
    assertEquals(1.0, half.doubleAt(0));
    assertEquals(0.333251953125, half.doubleAt(1));
    assertEquals(Math.pow(2, -24), half.doubleAt(2));
    assertEquals(0x3c00, HalfFloats.floatToHalf(1f));
    assertEquals(0x3555, HalfFloats.floatToHalf(1f / 3));
    assertEquals(0x7c00, HalfFloats.floatToHalf(70000f));
    assertEquals(0x0001, HalfFloats.floatToHalf((float) Math.pow(2, -24)));
    assertEquals(0x3f80, HalfFloats.floatToBfloat16(1f));
    assertEquals(3.140625, HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(3.14159f)));
    for (int bits = 0; bits < 0x7c00; bits++) { // every finite positive half survives the trip
      assertEquals(bits, HalfFloats.floatToHalf(HalfFloats.halfToFloat(bits)), "bits " + bits);
    }
  }

  @Test
  void rowsSplitAndConcatenateAlongTheFirstDimension() throws Exception {
    HostTensor t =
        TensorProtos.decode(
            proto(DataType.DT_INT32, 3, 2)
                .addIntVal(1)
                .addIntVal(2)
                .addIntVal(3)
                .addIntVal(4)
                .addIntVal(5)
                .addIntVal(6)
                .build());
    HostTensor middle = t.rows(1, 1);
    assertArrayEquals(new long[] {1, 2}, middle.shape());
    assertEquals(List.of(3L, 4L), longs(middle));
    HostTensor joined = HostTensor.concat(List.of(t.rows(0, 1), t.rows(1, 2)));
    assertEquals(longs(t), longs(joined));
    assertTrue(t.sameRowShape(middle));
  }

  @Test
  void unsupportedOrMalformedProtosAreRefusedWithAReason() {
    BadCase[] cases = {
      new BadCase(proto(DataType.DT_COMPLEX64, 1).build(), "complex64"),
      new BadCase(
          TensorProto.newBuilder()
              .setDtype(DataType.DT_FLOAT)
              .setTensorShape(
                  org.tensorflow.proto.TensorShapeProto.newBuilder().setUnknownRank(true))
              .build(),
          "rank"),
      new BadCase(proto(DataType.DT_FLOAT, -1).build(), "negative"),
      new BadCase(proto(DataType.DT_INT8, 1).addIntVal(128).build(), "int_val 128 is out of range"),
      new BadCase(proto(DataType.DT_INT16, 1).addIntVal(-32769).build(), "range for int16"),
      new BadCase(proto(DataType.DT_UINT8, 1).addIntVal(-1).build(), "range for uint8"),
      new BadCase(proto(DataType.DT_UINT16, 1).addIntVal(65536).build(), "range for uint16"),
    };
    for (BadCase c : cases) {
      TensorProtos.BadTensorException e =
          assertThrows(TensorProtos.BadTensorException.class, () -> TensorProtos.decode(c.proto));
      assertTrue(e.getMessage().contains(c.word), e.getMessage());
    }
  }

  private record BadCase(TensorProto proto, String word) {}

  private static List<Long> longs(HostTensor t) {
    java.util.ArrayList<Long> out = new java.util.ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      out.add(t.longAt(i));
    }
    return out;
  }
}
