package org.tfmnist.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where a task's TensorFlow server can be reached. TensorFlow 2.18's gRPC server binds {@code
 * 0.0.0.0:port} (every interface) whatever host its address in {@code TF_CONFIG} names, and takes
 * no authentication: whoever reaches the port can create sessions and run ops in the task. So a
 * launcher on a machine with addresses beyond loopback exposes its tasks to every network those
 * addresses are on, unless a firewall blocks the ports, which the launcher cannot see.
 */
public final class ServerExposure {
  /** What the launcher prints before it starts the tasks. */
  public static final String NOTICE =
      "TensorFlow's servers accept connections on every interface (0.0.0.0:port), not only"
          + " 127.0.0.1, with no authentication";

  private ServerExposure() {}

  /**
   * This machine's addresses beyond loopback ({@code eth0 192.0.2.2}), of interfaces that are up.
   */
  public static List<String> externalAddresses() {
    List<String> found = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLoopbackAddress()) {
            found.add(nic.getName() + " " + address.getHostAddress().replaceAll("%.*", ""));
          }
        }
      }
    } catch (SocketException e) {
      found.add("(interfaces unreadable: " + e.getMessage() + ")");
    }
    return found;
  }

  /**
   * The one-line refusal for tasks on {@code ports} of a machine with {@code external} addresses,
   * or empty where there are none (loopback only, e.g. a network namespace of its own).
   */
  public static Optional<String> refusal(List<String> external, List<Integer> ports) {
    if (external.isEmpty()) {
      return Optional.empty();
    }
    List<String> shown = external.size() > 3 ? external.subList(0, 3) : external;
    return Optional.of(
        "cluster: "
            + NOTICE
            + ", and this machine has addresses beyond loopback ("
            + String.join(", ", shown)
            + (external.size() > 3 ? ", ..." : "")
            + "): ports "
            + ports
            + " would be open to their networks. Behind a firewall that blocks them, give"
            + " --allow-external; or run the launcher in a network namespace with loopback only"
            + " (unshare -rn sh -c 'ip link set lo up; tfmnist cluster ...')");
  }
}
