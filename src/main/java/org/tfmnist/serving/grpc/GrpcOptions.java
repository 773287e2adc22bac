package org.tfmnist.serving.grpc;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tfmnist.TfmnistException;
import tensorflow.serving.SslConfig.SSLConfig;

/**
 * How the gRPC server listens beyond its port: TLS from TF Serving's {@code --ssl_config_file}
 * ({@link Tls}, null for plaintext), the channel arguments of {@code --grpc_channel_arguments}
 * ({@link GrpcChannelArguments}), and a Unix socket as well ({@code --grpc_socket_path}; null:
 * none).
 */
public record GrpcOptions(Tls tls, Map<String, String> channelArguments, Path socketPath) {
  /** Plaintext, no channel arguments, no Unix socket. */
  public static final GrpcOptions DEFAULTS = new GrpcOptions(null, Map.of());

  /** As the canonical constructor, without a Unix socket. */
  public GrpcOptions(Tls tls, Map<String, String> channelArguments) {
    this(tls, channelArguments, null);
  }

  /** Copies the arguments, in their order. */
  public GrpcOptions {
    channelArguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channelArguments));
  }

  /**
   * TF Serving's {@code SSLConfig}: the server's private key and certificate chain (PEM text, the
   * key PKCS#8), the certificate authority that client certificates are checked against (PEM,
   * empty: none), and whether a client must present a certificate that authority signed.
   */
  public record Tls(String serverKey, String serverCert, String customCa, boolean clientVerify) {
    /** Reads the text-format {@code SSLConfig} in {@code file}. */
    public static Tls read(Path file) throws TfmnistException {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TfmnistException(
            file + ": cannot read the SSL config file: " + e.getMessage(), e);
      }
      SSLConfig.Builder config = SSLConfig.newBuilder();
      try {
        TextFormat.getParser().merge(text, config);
      } catch (TextFormat.ParseException e) {
        throw new TfmnistException(
            file
                + ":"
                + e.getLine()
                + ":"
                + e.getColumn()
                + ": "
                + TfmnistException.firstLine(String.valueOf(e.getMessage()))
                    .replaceFirst("^\\d+:\\d+:\\s*", ""),
            e);
      }
      for (String[] field :
          new String[][] {
            {"server_key", config.getServerKey()}, {"server_cert", config.getServerCert()}
          }) {
        if (!field[1].contains("-----BEGIN")) {
          throw new TfmnistException(
              file + ": " + field[0] + ": missing (the PEM text itself, not a file name)");
        }
      }
      if (config.getClientVerify() && config.getCustomCa().isEmpty()) {
        throw new TfmnistException(
            file + ": client_verify: true needs custom_ca (the PEM of the clients' authority)");
      }
      return new Tls(
          config.getServerKey(),
          config.getServerCert(),
          config.getCustomCa(),
          config.getClientVerify());
    }

    @Override
    public String toString() {
      return "Tls[clientVerify=" + clientVerify + "]"; // never the key
    }
  }
}
