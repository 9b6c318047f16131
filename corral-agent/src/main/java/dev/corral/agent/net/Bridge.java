package dev.corral.agent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's Linux bridge ({@value #NAME}) with the first address of the container network, and the
 * iptables rules every container shares ({@link PortRules#bridgeRules}). Made on first use and left in
 * place when the agent stops: running containers hang off it, and an agent restart must not disturb them.
 * Thread-safe.
 */
public final class Bridge {
  public static final String NAME = "corral0";

  private final Subnet subnet;
  private boolean ready;

  public Bridge(Subnet subnet) {
    this.subnet = subnet;
  }

  public Subnet subnet() {
    return subnet;
  }

  /** Creates what is missing; cheap once done. */
  public synchronized void ensure() throws IOException {
    if (ready) {
      return;
    }
    String cidr = subnet.gateway() + "/" + subnet.prefix();
    if (!HostCommand.run(List.of("ip", "link", "show", "dev", NAME), null).ok()) {
      HostCommand.check(List.of("ip", "-batch", "-"), "link add " + NAME + " type bridge\n"
          + "addr add " + cidr + " dev " + NAME + "\nlink set " + NAME + " up\n");
    } else {
      String addrs = HostCommand.check(List.of("ip", "-o", "-4", "addr", "show", "dev", NAME), null);
      if (!addrs.contains(" " + cidr + " ")) {
        throw new IOException("bridge " + NAME + " exists without the address " + cidr + " (--container-network"
            + " changed?); remove it with `ip link del " + NAME + "` once no container uses it: " + addrs);
      }
      HostCommand.check(List.of("ip", "link", "set", NAME, "up"), null);
    }
    // 127.0.0.1 DNATed into the bridge keeps its loopback source until the masquerade: route it (this bridge only)
    sysctl(Path.of("/proc/sys/net/ipv4/conf", NAME, "route_localnet"));
    // containers reach beyond the host, and other hosts reach mapped ports, only with forwarding on
    sysctl(Path.of("/proc/sys/net/ipv4/ip_forward"));
    ensureChain();
    for (List<String> rule : PortRules.bridgeRules(NAME, subnet)) {
      List<String> spec = List.of(rule.get(2).split(" "));
      if (!HostCommand.run(iptables(rule.get(0), "-C", rule.get(1), spec), null).ok()) {
        String op = rule.get(0).equals("filter") ? "-I" : "-A";
        HostCommand.check(iptables(rule.get(0), op, rule.get(1), spec), null);
      }
    }
    ready = true;
  }

  /** The nat chain, created only when absent: declaring an existing chain to iptables-restore flushes it. */
  private static void ensureChain() throws IOException {
    if (!HostCommand.run(List.of("iptables", "-w", "-t", "nat", "-S", PortRules.CHAIN), null).ok()) {
      HostCommand.check(List.of("iptables", "-w", "-t", "nat", "-N", PortRules.CHAIN), null);
    }
  }

  private static List<String> iptables(String table, String op, String chain, List<String> spec) {
    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", table, op, chain));
    argv.addAll(spec);
    return argv;
  }

  private static void sysctl(Path file) throws IOException {
    if (!Files.readString(file).trim().equals("1")) {
      Files.writeString(file, "1");
    }
  }

  /**
   * Removes the bridge and its rules; for tests and for an operator who stops using container networking.
   * Only when no container uses it.
   */
  public synchronized void remove() {
    for (List<String> rule : PortRules.bridgeRules(NAME, subnet)) {
      HostCommand.run(iptables(rule.get(0), "-D", rule.get(1), List.of(rule.get(2).split(" "))), null);
    }
    HostCommand.run(List.of("iptables", "-w", "-t", "nat", "-X", PortRules.CHAIN), null);
    HostCommand.run(List.of("ip", "link", "del", NAME), null);
    ready = false;
  }
}
