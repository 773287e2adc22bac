package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tfmnist.TrainedModels;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * {@code serve} as a user starts it: gRPC on {@code --port}, REST on {@code --rest_api_port} (each
 * 0: a free port), both printed; a Predict over gRPC answers, and SIGTERM stops both with exit 0.
 */
@Tag("data")
class ServeGrpcCommandTest {
  @TempDir Path tmp;

  @Test
  void servesGrpcOnPortAndRestOnRestApiPort() throws Exception {
    Path model = TrainedModels.beginners(tmp.resolve("saved_model")).savedModel();
    Process serve =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--model",
                model.toString(),
                "--port",
                "0",
                "--rest_api_port",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      int[] ports = ports(lines);
      assertTrue(ports[0] > 0 && ports[1] > 0 && ports[0] != ports[1], ports[0] + " " + ports[1]);
      predictAndStatus(ports[0]);
      assertEquals(
          0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not exit");
      StringBuilder rest = new StringBuilder();
      lines.lines().forEach(l -> rest.append(l).append('\n'));
      assertEquals(0, serve.exitValue(), rest.toString());
      assertTrue(rest.toString().contains("stopped"), rest.toString());
    } finally {
      serve.destroyForcibly();
    }
  }

  /** The gRPC and REST ports serve printed. */
  private static int[] ports(BufferedReader lines) throws java.io.IOException {
    Pattern grpcLine = Pattern.compile("gRPC: +127\\.0\\.0\\.1:(\\d+) ");
    Pattern pageLine = Pattern.compile("page: +http://127\\.0\\.0\\.1:(\\d+)/");
    int[] ports = {-1, -1};
    String line;
    while (ports[0] < 0 && (line = lines.readLine()) != null) {
      Matcher m = grpcLine.matcher(line);
      Matcher p = pageLine.matcher(line);
      if (m.find()) {
        ports[0] = Integer.parseInt(m.group(1));
      } else if (p.find()) {
        ports[1] = Integer.parseInt(p.group(1));
      }
    }
    return ports;
  }

  /** A Predict of three blank images and GetModelStatus, over gRPC. */
  private static void predictAndStatus(int grpcPort) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      TensorProto images =
          TensorProto.newBuilder()
              .setDtype(DataType.DT_FLOAT)
              .setTensorShape(
                  TensorShapeProto.newBuilder()
                      .addDim(TensorShapeProto.Dim.newBuilder().setSize(3))
                      .addDim(TensorShapeProto.Dim.newBuilder().setSize(784)))
              .build();
      ModelSpec spec = ModelSpec.newBuilder().setName("mnist").build();
      var r =
          PredictionServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .predict(
                  PredictRequest.newBuilder()
                      .setModelSpec(spec)
                      .putInputs("images", images)
                      .build());
      assertEquals(3, r.getOutputsOrThrow("classes").getInt64ValCount());
      assertEquals(1, r.getModelSpec().getVersion().getValue());
      var status =
          ModelServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec).build());
      assertEquals(ModelVersionStatus.State.AVAILABLE, status.getModelVersionStatus(0).getState());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
