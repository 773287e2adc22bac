package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.serving.tensor.DType;
import org.tfmnist.serving.tensor.HostTensor;

/** TF Serving's {@code AddPadding} on host tensors: shapes, the padding value, what may share. */
@Tag("unit")
class VariableLengthPaddingTest {
  static float[] floats(HostTensor t) {
    float[] out = new float[t.size()];
    ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  @Test
  void padsEveryDimensionPastTheFirstWithTheTensorsFirstElement() throws Exception {
    // batching_util.h's example: [1,2,3,4] padded to [_,2,5,8] with tensor[0][0][0][0]
    HostTensor a = HostTensor.floats(new long[] {2, 1, 2}, new float[] {9, 1, 2, 3});
    HostTensor b = HostTensor.floats(new long[] {1, 2, 3}, new float[] {4, 5, 6, 7, 8, 0});
    List<HostTensor> padded = VariableLengthPadding.padAll(List.of(a, b));
    assertArrayEquals(new long[] {2, 2, 3}, padded.get(0).shape());
    assertArrayEquals(new float[] {9, 1, 9, 9, 9, 9, 2, 3, 9, 9, 9, 9}, floats(padded.get(0)), 0f);
    assertSame(b, padded.get(1), "already the largest: unchanged");
  }

  @Test
  void stringsAndIntegersPadToo() throws Exception {
    byte[][] words = {bytes("x"), bytes("y"), bytes("z")};
    HostTensor s =
        VariableLengthPadding.padTo(
            HostTensor.strings(new long[] {3, 1}, words), new long[] {0, 2});
    assertEquals("[x, x, y, x, z, x]", strings(s));
    HostTensor longs =
        HostTensor.numeric(DType.INT64, new long[] {1, 1}, new byte[] {5, 0, 0, 0, 0, 0, 0, 0});
    HostTensor wide = VariableLengthPadding.padTo(longs, new long[] {1, 3});
    assertEquals(List.of(5L, 5L, 5L), List.of(wide.longAt(0), wide.longAt(1), wide.longAt(2)));
  }

  @Test
  void aTensorOfNoRowsOnlyChangesShape() throws Exception {
    HostTensor none = HostTensor.floats(new long[] {0, 2}, new float[0]);
    HostTensor out = VariableLengthPadding.padTo(none, new long[] {5, 4});
    assertArrayEquals(new long[] {0, 4}, out.shape());
  }

  @Test
  void whatMayShareABatch() {
    HostTensor a = HostTensor.floats(new long[] {1, 2}, new float[2]);
    HostTensor b = HostTensor.floats(new long[] {3, 5}, new float[15]);
    HostTensor emptyRows = HostTensor.floats(new long[] {1, 0}, new float[0]);
    HostTensor rank3 = HostTensor.floats(new long[] {1, 2, 1}, new float[2]);
    HostTensor ints = HostTensor.numeric(DType.INT32, new long[] {1, 5}, new byte[20]);
    HostTensor rank7 = HostTensor.floats(new long[] {1, 1, 1, 1, 1, 1, 2}, new float[2]);
    HostTensor rank7b = HostTensor.floats(new long[] {1, 1, 1, 1, 1, 1, 3}, new float[3]);
    assertTrue(VariableLengthPadding.compatible(a, b));
    assertFalse(VariableLengthPadding.compatible(a, emptyRows), "TF Serving: empty tensor");
    assertTrue(VariableLengthPadding.compatible(emptyRows, emptyRows), "same shape: no padding");
    assertFalse(VariableLengthPadding.compatible(a, rank3), "ranks differ");
    assertFalse(VariableLengthPadding.compatible(b, ints), "dtypes differ");
    assertFalse(VariableLengthPadding.compatible(rank7, rank7b), "TF Serving pads rank 1 to 6");
  }

  @Test
  void aPaddedTensorPastIntSizeIsRefused() {
    HostTensor a = HostTensor.floats(new long[] {2, 1}, new float[2]);
    ApiException e =
        assertThrows(
            ApiException.class, () -> VariableLengthPadding.padTo(a, new long[] {2, 1L << 31}));
    assertEquals(400, e.status);
    // 1 row of 65,536 and 32,768 rows of 1: merged, 32,769 x 65,536 floats (8.6 GB)
    HostTensor wide = HostTensor.floats(new long[] {1, 1 << 16}, new float[1 << 16]);
    HostTensor tall = HostTensor.floats(new long[] {1 << 15, 1}, new float[1 << 15]);
    e = assertThrows(ApiException.class, () -> VariableLengthPadding.padAll(List.of(wide, tall)));
    assertEquals(400, e.status);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String strings(HostTensor t) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < t.size(); i++) {
      b.append(i > 0 ? ", " : "").append(new String(t.bytesAt(i), StandardCharsets.UTF_8));
    }
    return b.append(']').toString();
  }
}
