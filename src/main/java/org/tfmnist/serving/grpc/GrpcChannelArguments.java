package org.tfmnist.serving.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * TF Serving's {@code --grpc_channel_arguments}: a comma-separated list of {@code key=value} gRPC
 * core channel arguments, applied to grpc-java's server builder where it has the same setting: the
 * largest request message, keep-alive pings and connection ages, concurrent streams. Arguments that
 * grpc-java's server has no setting for are logged once and ignored, as gRPC core ignores unknown
 * arguments.
 */
public final class GrpcChannelArguments {
  /** The arguments {@link #apply} maps, each an integer. */
  public static final Set<String> SUPPORTED =
      Set.of(
          "grpc.max_receive_message_length",
          "grpc.max_send_message_length",
          "grpc.keepalive_time_ms",
          "grpc.keepalive_timeout_ms",
          "grpc.keepalive_permit_without_calls",
          "grpc.http2.min_recv_ping_interval_without_data_ms",
          "grpc.http2.min_ping_interval_without_data_ms",
          "grpc.max_connection_idle_ms",
          "grpc.max_connection_age_ms",
          "grpc.max_connection_age_grace_ms",
          "grpc.max_concurrent_streams",
          "grpc.max_metadata_size");

  private GrpcChannelArguments() {}

  /**
   * Parses {@code text} ("" for none); a malformed entry, or a supported argument whose value is
   * not an integer, is a one-line error naming the flag.
   */
  public static Map<String, String> parse(String text) throws TfmnistException {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String entry : text.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new TfmnistException(
            "--grpc_channel_arguments: '" + entry.strip() + "' is not KEY=VALUE");
      }
      String key = entry.substring(0, eq).strip();
      String value = entry.substring(eq + 1).strip();
      if (SUPPORTED.contains(key)) {
        try {
          Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new TfmnistException(
              "--grpc_channel_arguments: " + key + "=" + value + ": not an integer", e);
        }
      }
      out.put(key, value);
    }
    return out;
  }

  /**
   * Applies {@code arguments} to {@code builder}; the default largest message stays {@code
   * maxMessage} unless {@code grpc.max_receive_message_length} says otherwise (-1: no limit).
   */
  static void apply(
      NettyServerBuilder builder, Map<String, String> arguments, int maxMessage, PrintStream log) {
    builder.maxInboundMessageSize(maxMessage);
    arguments.forEach(
        (key, text) -> {
          if (!SUPPORTED.contains(key)) {
            log.println("warning: --grpc_channel_arguments: " + key + " has no effect here");
            return;
          }
          long v = Long.parseLong(text);
          switch (key) {
            case "grpc.max_receive_message_length" ->
                builder.maxInboundMessageSize(v < 0 ? Integer.MAX_VALUE : (int) v);
            case "grpc.keepalive_time_ms" -> builder.keepAliveTime(v, TimeUnit.MILLISECONDS);
            case "grpc.keepalive_timeout_ms" -> builder.keepAliveTimeout(v, TimeUnit.MILLISECONDS);
            case "grpc.keepalive_permit_without_calls" ->
                builder.permitKeepAliveWithoutCalls(v != 0);
            case "grpc.http2.min_recv_ping_interval_without_data_ms",
                "grpc.http2.min_ping_interval_without_data_ms" ->
                builder.permitKeepAliveTime(v, TimeUnit.MILLISECONDS);
            case "grpc.max_connection_idle_ms" ->
                builder.maxConnectionIdle(v, TimeUnit.MILLISECONDS);
            case "grpc.max_connection_age_ms" -> builder.maxConnectionAge(v, TimeUnit.MILLISECONDS);
            case "grpc.max_connection_age_grace_ms" ->
                builder.maxConnectionAgeGrace(v, TimeUnit.MILLISECONDS);
            case "grpc.max_concurrent_streams" -> builder.maxConcurrentCallsPerConnection((int) v);
            case "grpc.max_metadata_size" -> builder.maxInboundMetadataSize((int) v);
            default -> { // grpc.max_send_message_length: grpc-java's server does not limit it
            }
          }
        });
  }
}
