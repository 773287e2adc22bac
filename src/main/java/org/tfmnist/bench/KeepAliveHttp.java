package org.tfmnist.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A load generator's HTTP/1.1 client, as lean as {@code wrk}'s: one keep-alive connection to
 * 127.0.0.1, a POST of a body encoded beforehand written in one piece, the status read and the
 * response body skipped by its {@code Content-Length}. The JDK's {@code HttpClient} costs more CPU
 * per request than the server's whole REST path, and on a small machine the load generator shares
 * the cores with the server it measures.
 */
final class KeepAliveHttp implements AutoCloseable {
  private static final int TIMEOUT_MS = 30_000;

  private final int port;
  private final byte[] head;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /** A client for {@code POST path} on {@code 127.0.0.1:port}; it connects on the first call. */
  KeepAliveHttp(int port, String path) {
    this.port = port;
    this.head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nContent-Type: application/json\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * POSTs {@code body} and returns the response's status; on an I/O error the connection is dropped
   * (the next call opens a new one) and the error thrown.
   */
  int post(byte[] body) throws IOException {
    try {
      if (socket == null) {
        connect();
      }
      out.write(head);
      out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
    out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  private int readResponse() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Long.parseLong(header.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("a response without Content-Length");
    }
    in.skipNBytes(length);
    return code;
  }

  /** One header line without its CRLF. */
  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a loopback socket: nothing to recover
      }
      socket = null;
    }
  }
}
