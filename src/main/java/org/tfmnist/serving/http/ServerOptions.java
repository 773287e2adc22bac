package org.tfmnist.serving.http;

import java.time.Duration;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.MonitoringOptions;

/**
 * The HTTP server's limits. {@code threads} requests run at once and {@code queue} more wait; past
 * that a request gets 503 at once. {@code readTimeout} closes a connection that sends nothing for
 * that long (a stalled or idle client); {@code drainTimeout} is how long a stop waits for requests
 * in flight; {@code maxBodyMemory} bounds the bytes that all request bodies in flight hold together
 * (429 beyond); {@code requestTimeout} ({@code --rest_api_timeout_in_ms}) is a predict's deadline,
 * counted from its arrival: past it, TF Serving's DEADLINE_EXCEEDED (HTTP 504); {@code httpThreads}
 * ({@code --rest_api_num_threads}) are the HTTP threads that read and answer requests (predictions
 * run on the predict workers); {@code monitoring} says whether and where the Prometheus metrics are
 * served ({@code --monitoring_config_file}).
 */
public record ServerOptions(
    int threads,
    int queue,
    Duration readTimeout,
    Duration drainTimeout,
    int maxImages,
    long maxBodyMemory,
    Duration requestTimeout,
    int httpThreads,
    MonitoringOptions monitoring) {

  /**
   * As the canonical constructor, with the default bound on body memory, a request deadline equal
   * to the read timeout, TF Serving's HTTP threads and no metrics served.
   */
  public ServerOptions(
      int threads, int queue, Duration readTimeout, Duration drainTimeout, int maxImages) {
    this(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        defaultBodyMemory(),
        readTimeout,
        defaultHttpThreads(),
        MonitoringOptions.OFF);
  }

  /** TF Serving's {@code --rest_api_num_threads} default: four per core. */
  public static int defaultHttpThreads() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  /**
   * Defaults: 8 threads, {@link #DEFAULT_QUEUE} queued, 30 s read timeout, 30 s drain, 10,000
   * images per request, bodies in flight bounded to a quarter of the heap (at least 64 MiB), 30 s
   * request deadline (TF Serving's {@code --rest_api_timeout_in_ms}), four HTTP threads per core,
   * no metrics served.
   */
  public static ServerOptions defaults() {
    return new ServerOptions(
        8, DEFAULT_QUEUE, Duration.ofSeconds(30), Duration.ofSeconds(30), 10_000);
  }

  /**
   * Predicts that may wait for a worker by default: TF Serving queues requests rather than refusing
   * them, so the bound is high (hundreds of concurrent clients wait); the memory they hold is
   * bounded by the body budget, not by this.
   */
  public static final int DEFAULT_QUEUE = 1024;

  /** A quarter of the maximum heap, at least 64 MiB. */
  static long defaultBodyMemory() {
    return BodyBudget.defaultLimit();
  }

  public ServerOptions withThreads(int threads, int queue) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }

  public ServerOptions withReadTimeout(Duration readTimeout) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }

  public ServerOptions withBodyMemory(long maxBodyMemory) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }

  public ServerOptions withRequestTimeout(Duration requestTimeout) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }

  public ServerOptions withHttpThreads(int httpThreads) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }

  public ServerOptions withMonitoring(MonitoringOptions monitoring) {
    return new ServerOptions(
        threads,
        queue,
        readTimeout,
        drainTimeout,
        maxImages,
        maxBodyMemory,
        requestTimeout,
        httpThreads,
        monitoring);
  }
}
