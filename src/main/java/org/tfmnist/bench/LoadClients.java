package org.tfmnist.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.MnistShape;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The benchmark's clients: each sends single-image predict requests one after another on its own
 * connection (a keep-alive HTTP/1.1 connection, or a gRPC channel), as a TF Serving client does.
 * Requests are encoded before the clock starts, so the clients spend their CPU on sending, as
 * {@code wrk} and {@code ghz} do, not on JSON or protobuf encoding.
 */
final class LoadClients {
  /**
   * One client's connection; {@link #call} sends image {@code i} (modulo the images) and says if it
   * got an answer.
   */
  interface Client extends AutoCloseable {
    boolean call(int i) throws Exception;

    @Override
    void close();
  }

  private LoadClients() {}

  /**
   * REST: {@code {"instances": [[784 floats]]}} to {@code path} on {@code 127.0.0.1:port}, on one
   * keep-alive connection; the bodies are encoded beforehand ({@link #restBodies}).
   */
  static Client rest(int port, String path, byte[][] bodies) {
    KeepAliveHttp http = new KeepAliveHttp(port, path);
    return new Client() {
      @Override
      public boolean call(int i) throws Exception {
        return http.post(bodies[i % bodies.length]) == 200;
      }

      @Override
      public void close() {
        http.close();
      }
    };
  }

  /**
   * gRPC: PredictionService/Predict with the image as DT_FLOAT [1, 784] tensor_content; the
   * requests are built beforehand ({@link #grpcRequests}).
   */
  static Client grpc(int port, PredictRequest[] requests) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    PredictionServiceGrpc.PredictionServiceBlockingStub stub =
        PredictionServiceGrpc.newBlockingStub(channel);
    return new Client() {
      @Override
      public boolean call(int i) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(requests[i % requests.length])
                .getOutputsCount()
            == 2;
      }

      @Override
      public void close() {
        channel.shutdownNow();
      }
    };
  }

  /** The first {@code n} images (at most all) as REST bodies, UTF-8. */
  static byte[][] restBodies(Dataset images, int n) {
    byte[][] bodies = new byte[Math.min(n, images.size())][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = body(images, i).getBytes(StandardCharsets.UTF_8);
    }
    return bodies;
  }

  /** The first {@code n} images (at most all) as gRPC requests. */
  static PredictRequest[] grpcRequests(Dataset images, int n) {
    PredictRequest[] requests = new PredictRequest[Math.min(n, images.size())];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = request(images, i);
    }
    return requests;
  }

  static String body(Dataset images, int i) {
    StringBuilder sb = new StringBuilder(8 * MnistShape.PIXELS).append("{\"instances\": [[");
    for (int k = 0; k < MnistShape.PIXELS; k++) {
      sb.append(k == 0 ? "" : ",").append(images.images()[i * MnistShape.PIXELS + k]);
    }
    return sb.append("]]}").toString();
  }

  static PredictRequest request(Dataset images, int i) {
    ByteBuffer b =
        ByteBuffer.allocate(MnistShape.PIXELS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(images.images(), i * MnistShape.PIXELS, MnistShape.PIXELS);
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(
                TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(MnistShape.PIXELS)))
            .setTensorContent(ByteString.copyFrom(b))
            .build();
    return PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("mnist"))
        .putInputs("images", tensor)
        .build();
  }
}
