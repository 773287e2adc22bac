package org.tfmnist.serving;

/**
 * A bound on the memory that request bodies in flight hold at once, across all requests and both
 * protocols: REST's parsed images and pictures, gRPC's request messages. One instance per process,
 * made where the servers are wired and handed to both. Each request reserves what it holds in a
 * {@link Reservation} before it allocates it; a request whose next piece would pass the bound is
 * refused at once (REST: 429, gRPC: RESOURCE_EXHAUSTED, as TF Serving maps that code), before it is
 * read or parsed further. Many slow, large requests side by side thus cannot exhaust the heap,
 * whatever each one's own limit.
 */
public final class BodyBudget {
  private final long limit;
  private long used;

  /** A budget of {@code limit} bytes. */
  public BodyBudget(long limit) {
    this.limit = limit;
  }

  /** The default bound: a quarter of the maximum heap, at least 64 MiB. */
  public static long defaultLimit() {
    return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  /** A new request's account, empty; close it when the request's memory is no longer held. */
  public Reservation open() {
    return new Reservation();
  }

  /** The bound, in bytes. */
  public long limit() {
    return limit;
  }

  /** The bytes reserved now, by all requests in flight. */
  public synchronized long used() {
    return used;
  }

  /**
   * The one-line refusal of a request past the bound (REST: with 429; gRPC: RESOURCE_EXHAUSTED).
   */
  public String refusal() {
    return "the server is busy: request bodies in flight hold "
        + (used() >> 20)
        + " MiB of "
        + (limit >> 20)
        + " MiB; try again later";
  }

  private synchronized boolean take(long bytes) {
    if (used + bytes > limit) {
      return false;
    }
    used += bytes;
    return true;
  }

  private synchronized void give(long bytes) {
    used -= bytes;
  }

  /**
   * What one request holds. Closing it gives it all back; closing it twice is harmless, and a
   * closed reservation takes nothing more.
   */
  public final class Reservation implements AutoCloseable {
    private long held;
    private boolean closed;

    private Reservation() {}

    /** Reserves {@code bytes} more and says so, or reserves nothing and answers false. */
    public synchronized boolean tryGrow(long bytes) {
      if (closed || !take(bytes)) {
        return false;
      }
      held += bytes;
      return true;
    }

    /**
     * Reserves {@code bytes} more, or a 429 (TF Serving's RESOURCE_EXHAUSTED) when requests in
     * flight already hold the bound.
     */
    public void grow(long bytes) throws ApiException {
      if (!tryGrow(bytes)) {
        throw new ApiException(429, refusal());
      }
    }

    /** The bytes this request holds now. */
    public synchronized long held() {
      return held;
    }

    @Override
    public void close() {
      long bytes;
      synchronized (this) {
        bytes = held;
        held = 0;
        closed = true;
      }
      give(bytes);
    }
  }
}
