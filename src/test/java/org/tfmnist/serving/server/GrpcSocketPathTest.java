package org.tfmnist.serving.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.serving.grpc.GrpcOptions;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;

/**
 * TF Serving's {@code --grpc_socket_path}: the gRPC API answers on a Unix socket as well as on its
 * port, and the socket file is gone once the server stops. An empty base path: no model loads.
 */
@Tag("unit")
class GrpcSocketPathTest {
  @TempDir Path tmp;

  @Test
  void grpcAnswersOnTheUnixSocket() throws Exception {
    Path socket = tmp.resolve("tfs.sock");
    ServingOptions local =
        ServingOptions.local(
            ModelSource.basePath("mnist", Files.createDirectories(tmp.resolve("base"))));
    ServingOptions options =
        new ServingOptions(
            local.source(),
            local.host(),
            0,
            0,
            local.http(),
            new GrpcOptions(null, Map.of(), socket),
            local.load(),
            local.batching(),
            local.fileSystemPollWait(),
            local.configPollWait());
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (ModelServer server = ModelServer.start(options, quiet, quiet)) {
      assertTrue(Files.exists(socket), "the socket file");
      EventLoopGroup group = new EpollEventLoopGroup(1);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
              .channelType(EpollDomainSocketChannel.class)
              .eventLoopGroup(group)
              .usePlaintext()
              .build();
      try {
        var status =
            ModelServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getModelStatus(
                    GetModelStatusRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName("mnist"))
                        .build());
        assertTrue(status.getModelVersionStatusCount() >= 0);
      } catch (StatusRuntimeException e) {
        assertTrue(
            e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND,
            "the call reached ModelService: " + e.getStatus());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
    assertFalse(Files.exists(socket), "the socket file is removed on stop");
  }
}
