package org.tfmnist.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
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

  /** REST: {@code {"instances": [[784 floats]]}} to {@code url}. */
  static Client rest(URI url, Dataset images) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return new Client() {
      @Override
      public boolean call(int i) throws Exception {
        HttpRequest request =
            HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(body(images, i % images.size())))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      }

      @Override
      public void close() {}
    };
  }

  /** gRPC: PredictionService/Predict with the image as DT_FLOAT [1, 784] tensor_content. */
  static Client grpc(int port, Dataset images) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    PredictionServiceGrpc.PredictionServiceBlockingStub stub =
        PredictionServiceGrpc.newBlockingStub(channel);
    return new Client() {
      @Override
      public boolean call(int i) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(request(images, i % images.size()))
                .getOutputsCount()
            == 2;
      }

      @Override
      public void close() {
        channel.shutdownNow();
      }
    };
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
