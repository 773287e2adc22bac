package org.tfmnist.serving.http;

import org.tfmnist.serving.ApiException;

/**
 * A bound on the memory that request bodies in flight hold at once (parsed images, pictures),
 * across all requests: each body reserves what it allocates as it is read, and a body whose next
 * piece would pass the bound gets 503 at once, before it is read further. Many slow, large bodies
 * side by side thus cannot exhaust the heap, whatever each one's own limit.
 */
final class BodyBudget {
  private final long limit;
  private long used;

  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** A new body's account, empty; close it when the body's memory is no longer held. */
  Reservation open() {
    return new Reservation();
  }

  synchronized long used() {
    return used;
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

  /** What one body holds. Closing it twice is harmless. */
  final class Reservation implements AutoCloseable {
    private long held;

    /** Reserves {@code bytes} more, or a 503 when bodies in flight already hold the bound. */
    void grow(long bytes) throws ApiException {
      if (!take(bytes)) {
        throw new ApiException(
            503,
            "the server is busy: request bodies in flight hold "
                + (used() >> 20)
                + " MiB of "
                + (limit >> 20)
                + " MiB; try again later");
      }
      synchronized (this) {
        held += bytes;
      }
    }

    @Override
    public void close() {
      long bytes;
      synchronized (this) {
        bytes = held;
        held = 0;
      }
      give(bytes);
    }
  }
}
