package org.tfmnist.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Test hosts on one machine: one network namespace per host, each with its own address on a private
 * bridge (10.213.0.0/24) whose bridge lives in a namespace of its own, so the machine's own
 * namespace has no address or route on the test network and nothing can leave it. Every host's link
 * is capped at 1 Gbit/s ({@code tc ... tbf}); {@code lo} is up in each. Tasks run in a host with
 * {@code ip netns exec}. Host names resolve through {@code /etc/netns/<namespace>/hosts} (which
 * {@code ip netns exec} mounts over {@code /etc/hosts}), rewritten in place by {@link #names}.
 * Closing it kills its tasks and removes every namespace and hosts file it made; so does a JVM
 * shutdown hook, and {@link #create} first removes those a dead test JVM left behind (the namespace
 * names carry the creating JVM's pid).
 */
final class NetnsTestBed implements AutoCloseable {
  /** The prefix of every namespace a test bed makes. */
  static final String PREFIX = "tfmnb-";

  static final String SUBNET = "10.213.0.";
  private static final AtomicInteger BEDS = new AtomicInteger();
  private static final Path NETNS_ETC = Path.of("/etc/netns");

  private final String id;
  private final String bridge;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, List<Process>> processes = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final Thread hook = new Thread(this::removeAll, "netns-test-bed-cleanup");
  private String hostsFile = "";

  private NetnsTestBed() {
    id = PREFIX + ProcessHandle.current().pid() + "-" + BEDS.incrementAndGet() + "-";
    bridge = id + "br";
  }

  /**
   * A new test bed with its bridge; the calling test is skipped, with the reason, where namespaces
   * cannot be made (not root, no {@code ip}).
   */
  static NetnsTestBed create() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "network namespaces need root; running as " + System.getProperty("user.name"));
    Assumptions.assumeTrue(
        new File("/usr/sbin/ip").canExecute() || new File("/sbin/ip").canExecute(),
        "iproute2's ip is not installed");
    removeStale();
    NetnsTestBed bed = new NetnsTestBed();
    Runtime.getRuntime().addShutdownHook(bed.hook);
    try {
      bed.namespace(bed.bridge);
    } catch (IOException e) {
      bed.close();
      Assumptions.abort("cannot create a network namespace: " + e.getMessage());
    }
    bed.ip(bed.bridge, "link", "add", "br0", "type", "bridge");
    bed.ip(bed.bridge, "link", "set", "br0", "up");
    return bed;
  }

  /**
   * Adds host {@code name} (at most 10 characters) at {@code 10.213.0.<octet>}, linked to the
   * bridge at 1 Gbit/s; returns its address.
   */
  String addHost(String name, int octet) throws Exception {
    String ns = id + name;
    namespace(ns);
    String port = "v" + name;
    run(
        "ip", "link", "add", "name", "eth0", "netns", ns, "type", "veth", "peer", "name", port,
        "netns", bridge);
    ip(bridge, "link", "set", port, "master", "br0");
    ip(bridge, "link", "set", port, "up");
    String address = SUBNET + octet;
    ip(ns, "addr", "add", address + "/24", "dev", "eth0");
    ip(ns, "link", "set", "eth0", "up");
    run(
        "ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate",
        "1gbit", "burst", "1mb", "latency", "50ms");
    addresses.put(name, address);
    Files.createDirectories(NETNS_ETC.resolve(ns));
    Files.writeString(NETNS_ETC.resolve(ns).resolve("hosts"), hostsFile);
    return address;
  }

  /** Host {@code name}'s address. */
  String address(String name) {
    return addresses.get(name);
  }

  /**
   * Every host resolves {@code names} (name to address) from now on, also the tasks already
   * running: each host's {@code hosts} file is rewritten in place.
   */
  void names(Map<String, String> names) throws IOException {
    StringBuilder text = new StringBuilder("127.0.0.1 localhost\n");
    names.forEach((name, address) -> text.append(address).append(' ').append(name).append('\n'));
    hostsFile = text.toString();
    for (String ns : namespaces) {
      Path hosts = NETNS_ETC.resolve(ns).resolve("hosts");
      if (Files.exists(hosts)) {
        Files.writeString(hosts, hostsFile); // same inode: the bind mounts see it
      }
    }
  }

  /** Takes host {@code name}'s link down (a silent partition: no reset reaches the peers). */
  void linkDown(String name) throws Exception {
    ip(id + name, "link", "set", "eth0", "down");
  }

  /** Brings host {@code name}'s link up again. */
  void linkUp(String name) throws Exception {
    ip(id + name, "link", "set", "eth0", "up");
  }

  /** Host {@code name} is gone: its tasks killed, its namespace and link removed. */
  void removeHost(String name) throws Exception {
    for (Process process : processes.getOrDefault(name, List.of())) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    deleteNamespace(id + name);
    addresses.remove(name);
  }

  /** Starts {@code command} in host {@code name} with {@code env} added, output to {@code log}. */
  Process start(String name, Map<String, String> env, List<String> command, Path log)
      throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", id + name));
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.computeIfAbsent(name, n -> new ArrayList<>()).add(process);
    return process;
  }

  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (again) and finds nothing left
    }
  }

  private synchronized void removeAll() {
    for (List<Process> list : processes.values()) {
      for (Process process : list) {
        process.destroyForcibly();
        try {
          process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    processes.clear();
    for (String ns : new ArrayList<>(namespaces)) {
      try {
        deleteNamespace(ns);
      } catch (Exception e) {
        System.err.println("netns test bed: cannot remove " + ns + ": " + e.getMessage());
      }
    }
  }

  /** Removes the namespaces (and hosts files) of test beds whose JVM is gone. */
  static void removeStale() throws Exception {
    for (String line : output("ip", "netns", "list").split("\n")) {
      String ns = line.split(" ")[0];
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      String pid = ns.substring(PREFIX.length()).split("-")[0];
      boolean alive = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isPresent();
      if (!alive) {
        run("ip", "netns", "del", ns);
        deleteEtc(ns);
      }
    }
  }

  /** The namespaces with {@link #PREFIX} that exist now. */
  static List<String> existing() throws Exception {
    List<String> found = new ArrayList<>();
    for (String line : output("ip", "netns", "list").split("\n")) {
      if (line.startsWith(PREFIX)) {
        found.add(line.split(" ")[0]);
      }
    }
    return found;
  }

  String prefix() {
    return id;
  }

  private void namespace(String ns) throws Exception {
    run("ip", "netns", "add", ns);
    namespaces.add(ns);
    ip(ns, "link", "set", "lo", "up");
  }

  private void deleteNamespace(String ns) throws Exception {
    if (namespaces.remove(ns)) {
      run("ip", "netns", "del", ns);
      deleteEtc(ns);
    }
  }

  private static void deleteEtc(String ns) throws IOException {
    Path dir = NETNS_ETC.resolve(ns);
    Files.deleteIfExists(dir.resolve("hosts"));
    Files.deleteIfExists(dir);
  }

  private void ip(String ns, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  private static void run(String... command) throws Exception {
    output(command);
  }

  private static String output(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": " + text.strip());
    }
    return text;
  }
}
