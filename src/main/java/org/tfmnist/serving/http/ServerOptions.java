package org.tfmnist.serving.http;

import java.time.Duration;
import org.tfmnist.serving.BodyBudget;

/**
 * The HTTP server's limits. {@code threads} requests run at once and {@code queue} more wait; past
 * that a request gets 503 at once. {@code readTimeout} closes a connection that sends nothing for
 * that long (a stalled or idle client); {@code drainTimeout} is how long a stop waits for requests
 * in flight; {@code maxBodyMemory} bounds the bytes that all request bodies in flight hold together
 * (429 beyond); {@code requestTimeout} ({@code --rest_api_timeout_in_ms}) is a predict's deadline,
 * counted from its arrival: past it, TF Serving's DEADLINE_EXCEEDED (HTTP 504).
 */
public record ServerOptions(
    int threads,
    int queue,
    Duration readTimeout,
    Duration drainTimeout,
    int maxImages,
    long maxBodyMemory,
    Duration requestTimeout) {

  /**
   * As the canonical constructor, with the default bound on body memory and a request deadline
   * equal to the read timeout.
   */
  public ServerOptions(
      int threads, int queue, Duration readTimeout, Duration drainTimeout, int maxImages) {
    this(threads, queue, readTimeout, drainTimeout, maxImages, defaultBodyMemory(), readTimeout);
  }

  /**
   * Defaults: 8 threads, 64 queued, 30 s read timeout, 30 s drain, 10,000 images per request,
   * bodies in flight bounded to a quarter of the heap (at least 64 MiB), 30 s request deadline (TF
   * Serving's {@code --rest_api_timeout_in_ms}).
   */
  public static ServerOptions defaults() {
    return new ServerOptions(8, 64, Duration.ofSeconds(30), Duration.ofSeconds(30), 10_000);
  }

  /** A quarter of the maximum heap, at least 64 MiB. */
  static long defaultBodyMemory() {
    return BodyBudget.defaultLimit();
  }

  public ServerOptions withThreads(int threads, int queue) {
    return new ServerOptions(
        threads, queue, readTimeout, drainTimeout, maxImages, maxBodyMemory, requestTimeout);
  }

  public ServerOptions withReadTimeout(Duration readTimeout) {
    return new ServerOptions(
        threads, queue, readTimeout, drainTimeout, maxImages, maxBodyMemory, requestTimeout);
  }

  public ServerOptions withBodyMemory(long maxBodyMemory) {
    return new ServerOptions(
        threads, queue, readTimeout, drainTimeout, maxImages, maxBodyMemory, requestTimeout);
  }

  public ServerOptions withRequestTimeout(Duration requestTimeout) {
    return new ServerOptions(
        threads, queue, readTimeout, drainTimeout, maxImages, maxBodyMemory, requestTimeout);
  }
}
