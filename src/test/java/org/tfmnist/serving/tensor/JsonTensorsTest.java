package org.tfmnist.serving.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * TF Serving's REST formats without a model: row and columnar requests typed by a signature (named
 * and unnamed inputs, any rank, every JSON value kind, b64) and the answers in both formats.
 */
@Tag("unit")
class JsonTensorsTest {
  private static TensorInfo info(DataType type, long... dims) {
    return TensorInfo.newBuilder()
        .setName("t:0")
        .setDtype(type)
        .setTensorShape(TensorProtos.shapeProto(dims))
        .build();
  }

  private static final SignatureDef IMAGE =
      SignatureDef.newBuilder().putInputs("image", info(DataType.DT_FLOAT, -1, 2, 2, 1)).build();

  private static final SignatureDef TWO =
      SignatureDef.newBuilder()
          .putInputs("ids", info(DataType.DT_INT64, -1, 2))
          .putInputs("text", info(DataType.DT_STRING, -1))
          .putInputs("flag", info(DataType.DT_BOOL, -1))
          .build();

  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  @Test
  void rowFormatStacksInstancesOfAFourDimensionalInput() throws Exception {
    Map<String, HostTensor> in =
        JsonTensorReader.inputs(
            json("{\"instances\": [[[[1],[2]],[[3],[4]]], [[[5],[6]],[[7],[8.5]]]]}"), IMAGE);
    HostTensor t = in.get("image");
    assertArrayEquals(new long[] {2, 2, 2, 1}, t.shape());
    assertEquals(8.5, t.doubleAt(7));
  }

  @Test
  void columnarFormatTakesTheValueAsTheWholeTensor() throws Exception {
    HostTensor t =
        JsonTensorReader.inputs(json("{\"inputs\": [[[[1],[2]],[[3],[4]]]]}"), IMAGE).get("image");
    assertArrayEquals(new long[] {1, 2, 2, 1}, t.shape());
    assertTrue(JsonTensorReader.rows(json("{\"instances\": []}")));
  }

  @Test
  void namedInputsInBothFormatsWithStringsB64AndBools() throws Exception {
    String rows =
        "{\"instances\": [{\"ids\": [1, 2], \"text\": \"h\u00e9\", \"flag\": true},"
            + " {\"ids\": [3, -4], \"text\": {\"b64\": \"AAH/\"}, \"flag\": false}]}";
    Map<String, HostTensor> a = JsonTensorReader.inputs(json(rows), TWO);
    assertEquals(-4, a.get("ids").longAt(3));
    assertArrayEquals("h\u00e9".getBytes(StandardCharsets.UTF_8), a.get("text").bytesAt(0));
    assertArrayEquals(new byte[] {0, 1, -1}, a.get("text").bytesAt(1));
    assertEquals(0, a.get("flag").longAt(1));
    String columns =
        "{\"inputs\": {\"ids\": [[1, 2], [3, -4]], \"text\": [\"h\u00e9\", {\"b64\": \"AAH/\"}],"
            + " \"flag\": [true, false]}}";
    Map<String, HostTensor> b = JsonTensorReader.inputs(json(columns), TWO);
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
    }
    assertArrayEquals(a.get("text").bytesAt(1), b.get("text").bytesAt(1));
  }

  @Test
  void badBodiesAreRefusedNamingThePlace() {
    String[][] cases = {
      {"{\"instances\": [1], \"inputs\": [1]}", "only one of"},
      {"{\"signature_name\": \"x\"}", "Missing 'inputs' or 'instances' key"},
      {
        "{\"instances\": [[[[1],[2]],[[3],[4]]], [[[5],[6]],[[7]]]]}",
        "instances[1][1]: expected a list of 2"
      },
      {
        "{\"instances\": [{\"ids\": [1.5, 2], \"text\": \"a\", \"flag\": true}]}",
        "int64 (at instances[0].ids[0])"
      },
      {"{\"instances\": [{\"ids\": [1, 2], \"text\": 3, \"flag\": true}]}", "string"},
      {
        "{\"instances\": [{\"ids\": [1, 2], \"text\": {\"b64\": \"*\"}, \"flag\": true}]}", "base64"
      },
      {"{\"instances\": [{\"ids\": [1, 2], \"text\": \"a\", \"flag\": 1}]}", "instances[0].flag"},
      {"{\"instances\": [[1, 2]]}", "3 inputs"},
    };
    for (String[] c : cases) {
      JsonTensorReader.BadJsonException e =
          assertThrows(
              JsonTensorReader.BadJsonException.class,
              () ->
                  JsonTensorReader.inputs(
                      json(c[0]), c[0].contains("ids") || c[0].contains("[[1, 2]]") ? TWO : IMAGE),
              c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void integersOutsideTheirDtypeAreRefusedNeverWrapped() throws Exception {
    String[][] cases = {
      {"DT_INT8", "[-128, 127]", "-128 127"},
      {"DT_INT8", "[128]", null},
      {"DT_INT16", "[-32769]", null},
      {"DT_INT32", "[2147483648]", null},
      {"DT_INT64", "[9223372036854775808]", null},
      {"DT_INT64", "[1e400]", null},
      {"DT_UINT8", "[255, 2.0]", "255 2"},
      {"DT_UINT8", "[256]", null},
      {"DT_UINT32", "[4294967295]", "4294967295"},
      {"DT_UINT32", "[-1]", null},
      {"DT_UINT64", "[18446744073709551615, 0]", "-1 0"}, // 2^64 - 1: its bits as a long
      {"DT_UINT64", "[18446744073709551616]", null},
      {"DT_UINT64", "[-1]", null},
      {"DT_INT8", "[1e-1000000000]", null}, // Gson refuses its exponent
      {"DT_INT8", "[1e-9999]", null}, // not an integer, and refused without computing it
      {"DT_INT16", "[1.0e3]", "1000"},
    };
    for (String[] c : cases) {
      DataType type = DataType.valueOf(c[0]);
      SignatureDef sig = SignatureDef.newBuilder().putInputs("n", info(type, -1)).build();
      String body = "{\"inputs\": " + c[1] + "}";
      if (c[2] == null) {
        JsonTensorReader.BadJsonException e =
            assertThrows(
                JsonTensorReader.BadJsonException.class,
                () -> JsonTensorReader.inputs(json(body), sig),
                c[0] + " " + c[1]);
        assertTrue(
            e.getMessage().contains("is not of expected type: " + DType.of(type).tfName() + " (at"),
            e.getMessage());
      } else {
        HostTensor t = JsonTensorReader.inputs(json(body), sig).get("n");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < t.size(); i++) {
          values.append(i > 0 ? " " : "").append(t.longAt(i));
        }
        assertEquals(c[2], values.toString(), c[0] + " " + c[1]);
      }
    }
  }

  @Test
  void answersInRowAndColumnarFormat() throws Exception {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    out.put("scores", HostTensor.floats(new long[] {2, 2}, new float[] {0.25f, 0.75f, 1f, 0f}));
    out.put(
        "label_bytes",
        HostTensor.strings(
            new long[] {2}, new byte[][] {{1, 2}, "b".getBytes(StandardCharsets.UTF_8)}));
    assertEquals(
        "{\"predictions\": [{\"scores\": [0.25, 0.75], \"label_bytes\": {\"b64\": \"AQI=\"}},"
            + " {\"scores\": [1.0, 0.0], \"label_bytes\": {\"b64\": \"Yg==\"}}]}",
        JsonTensorWriter.write(out, true));
    assertEquals(
        "{\"outputs\": {\"scores\": [[0.25, 0.75], [1.0, 0.0]],"
            + " \"label_bytes\": [{\"b64\": \"AQI=\"}, {\"b64\": \"Yg==\"}]}}",
        JsonTensorWriter.write(out, false));
    Map<String, HostTensor> one =
        Map.of("digit", HostTensor.numeric(DType.INT64, new long[] {2}, new byte[16]));
    assertEquals("{\"predictions\": [0, 0]}", JsonTensorWriter.write(one, true));
    assertEquals("{\"outputs\": [0, 0]}", JsonTensorWriter.write(one, false));
    Map<String, HostTensor> scalar =
        Map.of("total", HostTensor.floats(new long[] {}, new float[] {Float.NaN}));
    assertEquals("{\"outputs\": NaN}", JsonTensorWriter.write(scalar, false));
    assertThrows(
        JsonTensorWriter.RowFormatException.class, () -> JsonTensorWriter.write(scalar, true));
  }
}
