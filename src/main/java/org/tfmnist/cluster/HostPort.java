package org.tfmnist.cluster;

/** A task address, {@code host:port}, with the port checked. */
record HostPort(String host, int port) {
  static HostPort parse(String address, String source) throws ClusterConfigException {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new ClusterConfigException(source + ": address \"" + address + "\" is not host:port");
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(address.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new ClusterConfigException(
          source + ": address \"" + address + "\" has no port between 1 and 65535");
    }
  }
}
