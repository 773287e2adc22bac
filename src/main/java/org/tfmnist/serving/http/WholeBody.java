package org.tfmnist.serving.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;

/**
 * A JSON request body read whole, for {@code :predict}, {@code :classify} and {@code :regress}: its
 * pieces gathered as they arrive ({@link BodyReader}: no thread waits on a slow client), each
 * charged to the server's {@link BodyBudget} first, with the parsed tree's memory charged once it
 * has all arrived ({@link #TREE_BYTES_PER_BODY_BYTE}); refusals (busy, too large, over budget) are
 * answered on the {@link PredictPath}.
 */
final class WholeBody {
  /** What to do with a whole body; {@code memory} stays held until the answer is written. */
  interface Handler {
    void body(BodyBudget.Reservation memory, byte[] body) throws ApiException;
  }

  /**
   * Largest request body accepted (413 beyond); all bodies in flight together are bounded by the
   * body budget.
   */
  static final long MAX_BODY_BYTES = 256L << 20;

  /** Memory a parsed JSON tree takes for each byte of its text, at most (charged up front). */
  static final int TREE_BYTES_PER_BODY_BYTE = 8;

  private static final BodyReader.Limit LIMIT =
      new BodyReader.Limit("request body", MAX_BODY_BYTES);

  private WholeBody() {}

  static void read(
      Request request,
      Response response,
      Callback callback,
      RestRoute route,
      long start,
      BodyBudget budget,
      PredictPath path,
      Handler handler) {
    BodyBudget.Reservation memory = budget.open();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      path.checkNotBusy();
      new BodyReader(
              request,
              callback,
              memory,
              LIMIT,
              new BodyReader.Sink() {
                @Override
                public void feed(ByteBuffer piece) throws ApiException {
                  memory.grow(piece.remaining());
                  byte[] copy = new byte[piece.remaining()];
                  piece.get(copy);
                  bytes.write(copy, 0, copy.length);
                }

                @Override
                public void end() throws ApiException {
                  memory.grow(TREE_BYTES_PER_BODY_BYTE * (long) bytes.size());
                  handler.body(memory, bytes.toByteArray());
                }
              },
              e -> path.answerError(response, callback, route, route.call().api(), e, start))
          .read();
    } catch (ApiException e) {
      memory.close();
      path.answerError(response, callback, route, route.call().api(), e, start);
    }
  }
}
