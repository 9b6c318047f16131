package dev.corral.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Several "machines" on this one: a network namespace per host, each with its own private address
 * (10.251.N.11, .12, …) on a veth pair plugged into one bridge, which holds 10.251.N.1 for this machine's
 * own network, so the test reaches every host directly. Each host has its own port space, so every master
 * can use the standard ports. Needs root and iproute2. {@link #close} removes the namespaces and the bridge.
 */
final class NetnsHosts implements AutoCloseable {
  private final String id;
  private final int subnet;
  private final List<String> names = new ArrayList<>();
  private final String bridge;

  private NetnsHosts(int count) throws IOException, InterruptedException {
    this.id = Integer.toString(ThreadLocalRandom.current().nextInt(10_000, 100_000));
    this.subnet = ThreadLocalRandom.current().nextInt(1, 250);
    this.bridge = "crlb" + id;
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", "10.251." + subnet + ".1/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    for (int i = 1; i <= count; i++) {
      String ns = "crl" + id + "-" + i;
      String veth = "crlv" + id + i;
      ip("netns", "add", ns);
      names.add(ns);
      ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      ip("link", "set", veth, "master", bridge, "up");
      ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      ip("-n", ns, "link", "set", "lo", "up");
    }
  }

  static NetnsHosts create(int count) throws Exception {
    NetnsHosts hosts = null;
    try {
      hosts = new NetnsHosts(count);
      return hosts;
    } catch (Exception e) {
      if (hosts != null) {
        hosts.close();
      }
      throw e;
    }
  }

  /** Host i's (1-based) namespace. */
  String netns(int i) {
    return names.get(i - 1);
  }

  /** Host i's (1-based) address. */
  String address(int i) {
    return "10.251." + subnet + "." + (10 + i);
  }

  /**
   * Cuts host i's (1-based) cable: its veth end on the bridge goes down, so nothing reaches it or leaves it
   * and open connections go silent, while the host keeps its address and processes.
   */
  void cut(int i) throws IOException, InterruptedException {
    ip("link", "set", "crlv" + id + i, "down");
  }

  /** Plugs host i's cable back in (see {@link #cut}). */
  void heal(int i) throws IOException, InterruptedException {
    ip("link", "set", "crlv" + id + i, "up");
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("ip");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() {
    for (String ns : names) {
      try {
        ip("netns", "del", ns); // takes its end of the veth pair, and so the pair, with it
      } catch (Exception e) {
        // already gone
      }
    }
    try {
      ip("link", "del", bridge);
    } catch (Exception e) {
      // already gone
    }
  }
}
