package dev.corral.agent.net;

import dev.corral.api.v1.PortMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules of the agent's bridge and of each task's port mappings, as {@code iptables-restore}
 * lines. Pure. Every rule carries a comment starting with {@code corral}, so that the agent finds and removes
 * exactly its own rules and never touches anyone else's.
 *
 * <p>Host ports reach a container through DNAT in the {@value #CHAIN} chain of the nat table, entered from
 * PREROUTING (traffic from other machines) and from OUTPUT (the host's own processes), both only for
 * packets addressed to one of the host's addresses ({@code addrtype LOCAL}, 127.0.0.1 included). Local
 * traffic to 127.0.0.1 leaves through the bridge with a loopback source, which the kernel only routes with
 * {@code route_localnet} on the bridge; the masquerade of traffic from local addresses into the bridge
 * gives it an address the container can answer.
 */
public final class PortRules {
  /** The nat chain that holds every task's DNAT rules. */
  public static final String CHAIN = "CORRAL-PORTS";
  static final String BRIDGE_COMMENT = "corral";

  private PortRules() {}

  /** The comment that marks a task's rules. */
  public static String comment(String netns) {
    return "corral:" + netns;
  }

  /** Rules of the bridge, each as arguments after {@code -t TABLE -A|-C|-I}: table, chain, rule. */
  static List<List<String>> bridgeRules(String bridge, Subnet subnet) {
    List<List<String>> out = new ArrayList<>();
    for (String chain : List.of("PREROUTING", "OUTPUT")) {
      out.add(List.of("nat", chain, "-m addrtype --dst-type LOCAL -m comment --comment " + BRIDGE_COMMENT
          + " -j " + CHAIN));
    }
    // outbound traffic of containers leaves with the host's address
    out.add(List.of("nat", "POSTROUTING", "-s " + subnet + " ! -o " + bridge + " -m comment --comment "
        + BRIDGE_COMMENT + " -j MASQUERADE"));
    // the host's own traffic to a mapped port (from 127.0.0.1 or a host address) comes from the bridge's address
    out.add(List.of("nat", "POSTROUTING", "-o " + bridge + " -m addrtype --src-type LOCAL -m comment --comment "
        + BRIDGE_COMMENT + " -j MASQUERADE"));
    // a FORWARD policy of DROP (Docker sets one) must not cut containers off
    out.add(List.of("filter", "FORWARD", "-i " + bridge + " -m comment --comment " + BRIDGE_COMMENT + " -j ACCEPT"));
    out.add(List.of("filter", "FORWARD", "-o " + bridge + " -m comment --comment " + BRIDGE_COMMENT + " -j ACCEPT"));
    return out;
  }

  /** The {@code iptables-restore --noflush} input that adds a task's DNAT rules; null when it maps no port. */
  static String addTask(String netns, String address, List<PortMapping> mappings) {
    StringBuilder sb = new StringBuilder();
    for (PortMapping m : mappings) {
      if (m.getHostPort() == 0) {
        continue; // reachable only on the container's own address
      }
      for (String protocol : protocols(m.getProtocol())) {
        sb.append("-A ").append(CHAIN).append(" -p ").append(protocol).append(" -m ").append(protocol)
            .append(" --dport ").append(m.getHostPort()).append(" -m comment --comment ").append(comment(netns))
            .append(" -j DNAT --to-destination ").append(address).append(':').append(m.getContainerPort())
            .append('\n');
      }
    }
    return sb.length() == 0 ? null : "*nat\n" + sb + "COMMIT\n";
  }

  /**
   * The {@code iptables-restore --noflush} input that deletes the rules of {@code iptables-save -t nat}
   * output that carry the task's comment; null when there are none.
   */
  static String removeTask(String netns, String natSave) {
    String marker = "--comment " + comment(netns);
    String quoted = "--comment \"" + comment(netns) + "\"";
    StringBuilder sb = new StringBuilder();
    for (String line : natSave.split("\n")) {
      if (line.startsWith("-A ") && (line.endsWith(marker) || line.contains(marker + " ")
          || line.contains(quoted))) {
        sb.append("-D ").append(line.substring(3)).append('\n');
      }
    }
    return sb.length() == 0 ? null : "*nat\n" + sb + "COMMIT\n";
  }

  static List<String> protocols(String protocol) {
    List<String> out = new ArrayList<>();
    for (String p : (protocol == null || protocol.isEmpty() ? "tcp" : protocol).split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }
}
