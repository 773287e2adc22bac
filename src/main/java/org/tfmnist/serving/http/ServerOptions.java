package org.tfmnist.serving.http;

import java.time.Duration;

/**
 * The HTTP server's limits. {@code threads} requests run at once and {@code queue} more wait; past
 * that a request gets 503 at once. {@code readTimeout} closes a connection that sends nothing for
 * that long (a stalled or idle client); {@code drainTimeout} is how long a stop waits for requests
 * in flight.
 */
public record ServerOptions(
    int threads, int queue, Duration readTimeout, Duration drainTimeout, int maxImages) {
  /**
   * Defaults: 8 threads, 64 queued, 30 s read timeout (TF Serving's REST timeout), 30 s drain,
   * 10,000 images per request.
   */
  public static ServerOptions defaults() {
    return new ServerOptions(8, 64, Duration.ofSeconds(30), Duration.ofSeconds(30), 10_000);
  }

  public ServerOptions withThreads(int threads, int queue) {
    return new ServerOptions(threads, queue, readTimeout, drainTimeout, maxImages);
  }

  public ServerOptions withReadTimeout(Duration readTimeout) {
    return new ServerOptions(threads, queue, readTimeout, drainTimeout, maxImages);
  }
}
