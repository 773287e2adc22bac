package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/** What the gRPC tests share: a channel, requests built from mnist-small's test images, asserts. */
final class GrpcFixtures {
  private static Dataset test;

  private GrpcFixtures() {}

  private static Dataset loaded() {
    if (test == null) {
      throw new IllegalStateException("call GrpcFixtures.test() first (in @BeforeAll)");
    }
    return test;
  }

  /** mnist-small's test set, loaded once. */
  static synchronized Dataset test() throws Exception {
    if (test == null) {
      test = MnistLoader.loadTest(TestData.mnistSmallDir());
    }
    return test;
  }

  static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(GrpcServer.MAX_MESSAGE_BYTES)
        .build();
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    java.nio.file.Files.createDirectories(to.getParent());
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  static void assertStatus(Status.Code code, String message, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(message), description);
  }

  static ModelSpec.Builder spec() {
    return ModelSpec.newBuilder().setName("mnist");
  }

  static PredictRequest request(TensorProto images) {
    return PredictRequest.newBuilder().setModelSpec(spec()).putInputs("images", images).build();
  }

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  static List<Long> sizes(TensorShapeProto shape) {
    return shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
  }

  static List<String> sorted(java.util.Map<String, ?> map) {
    return map.keySet().stream().sorted().toList();
  }

  /** Test images {@code from .. from+n} as DT_FLOAT [n, 784], in float_val or tensor_content. */
  static TensorProto images(int from, int n, boolean content) {
    float[] values = Arrays.copyOfRange(loaded().images(), from * 784, (from + n) * 784);
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(n, 784));
    if (content) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      t.setTensorContent(ByteString.copyFrom(b));
    } else {
      for (float f : values) {
        t.addFloatVal(f);
      }
    }
    return t.build();
  }

  /** The same images as DT_UINT8 [n, 28, 28] in int_val, rounded to 0..255. */
  static TensorProto pixels(int from, int n) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_UINT8).setTensorShape(shape(n, 28, 28));
    for (int i = from * 784; i < (from + n) * 784; i++) {
      t.addIntVal(Math.round(loaded().images()[i] * 255));
    }
    return t.build();
  }

  /** REST's row-format predictions for the first {@code n} test images. */
  static JsonArray restPredict(String restBase, int n) throws Exception {
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "[" : ",[");
      for (int k = 0; k < 784; k++) {
        body.append(k == 0 ? "" : ",").append(loaded().images()[i * 784 + k]);
      }
      body.append(']');
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(restBase + "mnist:predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
  }
}
