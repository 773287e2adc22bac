package org.tfmnist.serving.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.serving.grpc.GrpcOptions;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;

/**
 * {@link ModelServer} with TF Serving's {@code --ssl_config_file}: the gRPC server speaks TLS with
 * the config's key and certificate, refuses plaintext, and with {@code client_verify} refuses a
 * client without a certificate its {@code custom_ca} signed. The model is an empty base path: no
 * model loads, the calls only have to reach {@code ModelService}.
 */
@Tag("unit")
class ModelServerTlsTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir static Path tmp;

  static String key;
  static String cert;

  /** A self-signed certificate for localhost and 127.0.0.1, made by the JDK's keytool. */
  @BeforeAll
  static void makeCertificate() throws Exception {
    Path store = tmp.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    key = pem("PRIVATE KEY", ks.getKey("server", "changeit".toCharArray()).getEncoded());
    cert = pem("CERTIFICATE", ks.getCertificate("server").getEncoded());
  }

  @Test
  void grpcSpeaksTlsFromTheSslConfigFile() throws Exception {
    GrpcOptions.Tls tls = read(sslConfig(false));
    try (ModelServer server = ModelServer.start(options(tls), QUIET, QUIET)) {
      assertReached(tlsChannel(server.grpcPort(), false));
      ManagedChannel plain =
          NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      assertEquals(Status.Code.UNAVAILABLE, code(plain), "plaintext is refused");
    }
  }

  @Test
  void clientVerifyRequiresAClientCertificate() throws Exception {
    GrpcOptions.Tls tls = read(sslConfig(true));
    try (ModelServer server = ModelServer.start(options(tls), QUIET, QUIET)) {
      assertEquals(
          Status.Code.UNAVAILABLE, code(tlsChannel(server.grpcPort(), false)), "no certificate");
      assertReached(tlsChannel(server.grpcPort(), true));
    }
  }

  @Test
  void aConfigWithoutKeyOrCaIsOneLine() throws Exception {
    Path noKey = Files.writeString(tmp.resolve("nokey.txt"), "server_cert: \"x\"");
    var e = assertThrows(org.tfmnist.TfmnistException.class, () -> GrpcOptions.Tls.read(noKey));
    assertTrue(e.getMessage().contains("server_key: missing"), e.getMessage());
    Path noCa =
        Files.writeString(
            tmp.resolve("noca.txt"),
            "server_key: "
                + quoted(key)
                + "\nserver_cert: "
                + quoted(cert)
                + "\nclient_verify: true");
    e = assertThrows(org.tfmnist.TfmnistException.class, () -> GrpcOptions.Tls.read(noCa));
    assertTrue(e.getMessage().contains("client_verify: true needs custom_ca"), e.getMessage());
  }

  private static ServingOptions options(GrpcOptions.Tls tls) throws Exception {
    Path base = Files.createDirectories(tmp.resolve("empty-base"));
    ServingOptions local = ServingOptions.local(ModelSource.basePath("mnist", base));
    return new ServingOptions(
        local.source(),
        local.host(),
        0,
        0,
        local.http(),
        new GrpcOptions(tls, Map.of("grpc.max_receive_message_length", "1048576")),
        local.load(),
        local.batching(),
        local.fileSystemPollWait(),
        local.configPollWait());
  }

  private static Path sslConfig(boolean clientVerify) throws Exception {
    String text =
        "server_key: "
            + quoted(key)
            + "\nserver_cert: "
            + quoted(cert)
            + (clientVerify ? "\ncustom_ca: " + quoted(cert) + "\nclient_verify: true\n" : "\n");
    return Files.writeString(tmp.resolve("ssl" + clientVerify + ".txt"), text);
  }

  private static GrpcOptions.Tls read(Path file) throws Exception {
    return GrpcOptions.Tls.read(file);
  }

  private static ManagedChannel tlsChannel(int port, boolean withCertificate) throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(stream(cert));
    if (withCertificate) {
      ssl.keyManager(stream(cert), stream(key));
    }
    return NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build()).build();
  }

  /** The call reached ModelService: the empty model has no version to report. */
  private static void assertReached(ManagedChannel channel) throws Exception {
    Status.Code c = code(channel);
    assertTrue(c == Status.Code.OK || c == Status.Code.NOT_FOUND, "reached the server: " + c);
  }

  private static Status.Code code(ManagedChannel channel) throws InterruptedException {
    try {
      ModelServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .getModelStatus(
              GetModelStatusRequest.newBuilder()
                  .setModelSpec(ModelSpec.newBuilder().setName("mnist"))
                  .build());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\n", "\\n") + "\"";
  }
}
