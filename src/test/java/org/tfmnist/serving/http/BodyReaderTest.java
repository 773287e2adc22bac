package org.tfmnist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;

/**
 * The one body-reading loop of the REST predict and the page, on a real Jetty server: a body sent
 * in pieces arrives whole and in order; past its limit it is a 413 in the limit's words; a sink's
 * refusal (the body budget, a bad body) is answered; a client that goes away fails the request. In
 * every case the body's memory comes back to the budget.
 */
@Tag("unit")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyReaderTest {
  private static final BodyReader.Limit LIMIT = new BodyReader.Limit("test body", 1 << 20);

  private final BodyBudget budget = new BodyBudget(3 << 20);
  private final AtomicInteger ends = new AtomicInteger();
  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Echo());
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /**
   * Answers the body's length and a checksum; {@code X-Refuse: feed} or {@code end} makes the sink
   * refuse there.
   */
  private final class Echo extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      BodyBudget.Reservation memory = budget.open();
      String refuse = request.getHeaders().get("X-Refuse");
      new BodyReader(
              request,
              callback,
              memory,
              LIMIT,
              new BodyReader.Sink() {
                private long length;
                private long sum;

                @Override
                public void feed(ByteBuffer piece) throws ApiException {
                  memory.grow(piece.remaining());
                  if ("feed".equals(refuse)) {
                    throw new ApiException(400, "refused while fed");
                  }
                  length += piece.remaining();
                  while (piece.hasRemaining()) {
                    sum = sum * 31 + piece.get();
                  }
                }

                @Override
                public void end() throws ApiException {
                  ends.incrementAndGet();
                  if ("end".equals(refuse)) {
                    throw new ApiException(400, "refused at the end");
                  }
                  memory.close();
                  Responses.send(response, callback, 200, "text/plain", length + " " + sum);
                }
              },
              e -> Responses.error(response, callback, e.status, e.getMessage()))
          .read();
      return true;
    }
  }

  @Test
  void aBodySentInPiecesArrivesWholeAndInOrder() throws Exception {
    byte[] body = new byte[300_000];
    long sum = 0;
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 7);
      sum = sum * 31 + body[i];
    }
    try (Socket client = client()) {
      OutputStream out = client.getOutputStream();
      out.write(head(body.length, "").getBytes(StandardCharsets.US_ASCII));
      for (int off = 0; off < body.length; off += 100_000) {
        out.write(body, off, 100_000);
        out.flush();
        Thread.sleep(50); // the server reads what came, then waits for more without a thread
      }
      assertEquals("200 " + body.length + " " + sum, answer(client));
    }
    assertEquals(1, ends.get());
    assertEquals(0, budget.used());
  }

  @Test
  void aBodyPastItsLimitIs413InTheLimitsWords() throws Exception {
    try (Socket client = client()) {
      OutputStream out = client.getOutputStream();
      out.write(head((1 << 20) + 1, "").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[(1 << 20) + 1]);
      out.flush();
      assertEquals("413 {\"error\":\"test body larger than 1 MiB\"}", answer(client));
    }
    assertEquals(0, ends.get(), "a refused body never ends");
    assertEquals(0, budget.used());
  }

  @Test
  void aSinksRefusalIsAnsweredAndItsMemoryGivenBack() throws Exception {
    for (String where : new String[] {"feed", "end"}) {
      try (Socket client = client()) {
        OutputStream out = client.getOutputStream();
        out.write(head(1000, "X-Refuse: " + where + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1000]);
        out.flush();
        String message = where.equals("feed") ? "refused while fed" : "refused at the end";
        assertEquals("400 {\"error\":\"" + message + "\"}", answer(client), where);
      }
      assertEquals(0, budget.used(), where);
    }
  }

  @Test
  void aClientThatGoesAwayGivesItsMemoryBack() throws Exception {
    try (Socket client = client()) {
      OutputStream out = client.getOutputStream();
      out.write(head(500_000, "").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[200_000]);
      out.flush();
      waitFor(() -> budget.used() == 200_000, "the first 200,000 bytes read");
    }
    waitFor(() -> budget.used() == 0, "the memory given back");
    assertEquals(0, ends.get());
  }

  private Socket client() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(20_000);
    return s;
  }

  private static String head(int length, String more) {
    return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        + length
        + "\r\n"
        + more
        + "Connection: close\r\n\r\n";
  }

  /** The status code and body of the response, read to the end of the connection. */
  private static String answer(Socket client) throws IOException {
    InputStream in = client.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    String status = text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
    return status + " " + text.substring(text.indexOf("\r\n\r\n") + 4);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(20);
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
