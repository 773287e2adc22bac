package org.tfmnist.serving.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TF Serving's {@code --grpc_socket_path}: the same gRPC services on a Unix domain socket, beside
 * the TCP port, through Netty's epoll transport (Linux). A socket file left by an earlier server is
 * replaced, as gRPC core replaces it; the server's own file is removed when it stops.
 */
final class GrpcUnixSocket implements AutoCloseable {
  private final Server server;
  private final EventLoopGroup group;
  private final Path path;

  private GrpcUnixSocket(Server server, EventLoopGroup group, Path path) {
    this.server = server;
    this.group = group;
    this.path = path;
  }

  /** Listens on {@code path} with {@code services}, the TLS and arguments of {@code options}. */
  static GrpcUnixSocket start(
      Path path,
      List<ServerServiceDefinition> services,
      GrpcOptions options,
      int maxMessage,
      PrintStream log)
      throws IOException {
    if (!Epoll.isAvailable()) {
      throw new IOException(
          "--grpc_socket_path: Unix sockets need Linux's epoll transport: "
              + Epoll.unavailabilityCause().getMessage());
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
        && Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isOther()) { // a socket an earlier server left
      Files.delete(path);
    }
    EventLoopGroup group =
        new EpollEventLoopGroup(
            1,
            r -> {
              Thread t = new Thread(r, "grpc-unix-socket");
              t.setDaemon(true);
              return t;
            });
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group);
      GrpcChannelArguments.apply(builder, options.channelArguments(), maxMessage, log);
      if (options.tls() != null) {
        builder.sslContext(GrpcTls.serverContext(options.tls()));
      }
      services.forEach(builder::addService);
      return new GrpcUnixSocket(builder.build().start(), group, path);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Refuses new calls; {@link #close()} waits for those in flight. */
  void shutdown() {
    server.shutdown();
  }

  /** Waits up to {@code millis} for the calls in flight, cancels the rest, frees the socket. */
  void await(long millis) throws InterruptedException {
    if (!server.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // the socket file stays; the next server replaces it
    }
  }
}
