package org.tfmnist.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, chosen by the kernel: all {@code n} sockets are bound (port 0) at
 * the same time, so the ports differ, then closed for the tasks to take. Another process may take
 * one in between; the task that then fails to bind exits non-zero and {@link LocalCluster} stops
 * the others.
 */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** {@code n} distinct ports that were free on 127.0.0.1 a moment ago. */
  public static int[] pick(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      InetAddress loopback = InetAddress.getByName(LocalTask.HOST);
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(loopback, 0), 1);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a port on " + LocalTask.HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // a socket that never accepted: nothing to flush
        }
      }
    }
  }
}
