package org.tfmnist.serving.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The server's TLS context from TF Serving's {@code SSLConfig} ({@link GrpcOptions.Tls}). */
final class GrpcTls {
  private GrpcTls() {}

  /**
   * Netty's server context: the key and certificate chain, and with {@code client_verify} a client
   * certificate required and checked against {@code custom_ca}. A key or certificate Netty cannot
   * read is an {@link IOException} with its message.
   */
  static SslContext serverContext(GrpcOptions.Tls tls) throws IOException {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(pem(tls.serverCert()), pem(tls.serverKey()));
      if (!tls.customCa().isEmpty()) {
        builder.trustManager(pem(tls.customCa()));
      }
      builder.clientAuth(
          tls.clientVerify()
              ? ClientAuth.REQUIRE
              : tls.customCa().isEmpty() ? ClientAuth.NONE : ClientAuth.OPTIONAL);
      return GrpcSslContexts.configure(builder).build();
    } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
      throw new IOException("--ssl_config_file: " + e.getMessage(), e);
    }
  }

  private static InputStream pem(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
