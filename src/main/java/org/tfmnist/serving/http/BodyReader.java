package org.tfmnist.serving.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;

/**
 * Reads one request body chunk by chunk as it arrives, no thread waiting on a slow client: {@link
 * #read} takes what has arrived and asks Jetty to call it again when more does. Each piece goes to
 * a {@link Sink} (a predict request's parser, the page's picture), which charges what it keeps to
 * the body's {@link BodyBudget.Reservation}. A body past its {@link Limit} is a 413; a refusal (the
 * limit, the budget, a malformed body) gives the body's memory back and is answered by the refusal
 * handler; a client that goes away or times out fails the callback.
 */
final class BodyReader {
  /** Where a body's bytes go as they arrive. */
  interface Sink {
    /** The next piece of the body, within the limit; a refusal is an {@link ApiException}. */
    void feed(ByteBuffer piece) throws ApiException;

    /** The whole body has arrived (its chunks released); a refusal is an {@link ApiException}. */
    void end() throws ApiException;
  }

  /** The most bytes a body may have, and what it is called in the 413 beyond them. */
  record Limit(String noun, long maxBytes) {
    ApiException tooLarge() {
      return new ApiException(413, noun + " larger than " + (maxBytes >> 20) + " MiB");
    }
  }

  private final Request request;
  private final Callback callback;
  private final BodyBudget.Reservation memory;
  private final Limit limit;
  private final Sink sink;
  private final Consumer<ApiException> refuse;
  private long bytes;

  /**
   * A reader of {@code request}'s body into {@code sink}; {@code refuse} answers a refused body
   * after its {@code memory} is given back. Nothing is read before {@link #read}.
   */
  BodyReader(
      Request request,
      Callback callback,
      BodyBudget.Reservation memory,
      Limit limit,
      Sink sink,
      Consumer<ApiException> refuse) {
    this.request = request;
    this.callback = callback;
    this.memory = memory;
    this.limit = limit;
    this.sink = sink;
    this.refuse = refuse;
  }

  /** Reads what has arrived; runs again, from Jetty, each time more of the body has. */
  void read() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this::read);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        memory.close();
        callback.failed(chunk.getFailure()); // the client went away or timed out
        return;
      }
      boolean last = chunk.isLast();
      try {
        take(chunk.getByteBuffer());
      } catch (ApiException e) {
        chunk.release();
        refused(e);
        return;
      }
      chunk.release();
      if (last) {
        end();
        return;
      }
    }
  }

  private void take(ByteBuffer piece) throws ApiException {
    bytes += piece.remaining();
    if (bytes > limit.maxBytes()) {
      throw limit.tooLarge();
    }
    sink.feed(piece);
  }

  private void end() {
    try {
      sink.end();
    } catch (ApiException e) {
      refused(e);
    }
  }

  private void refused(ApiException e) {
    memory.close();
    refuse.accept(e);
  }
}
