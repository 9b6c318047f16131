package dev.corral.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One member of an embedded ZooKeeper ensemble: {@code id=host:clientPort:quorumPort:electionPort}, as
 * {@code corral master --zk-embedded-peers} takes them, comma-separated.
 */
public record ZkPeer(int id, String host, int clientPort, int quorumPort, int electionPort) {

  /**
   * Parses "1=h1:2181:2888:3888,2=h2:2181:2888:3888,…".
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static List<ZkPeer> parseAll(String spec) {
    List<ZkPeer> out = new ArrayList<>();
    Set<Integer> ids = new TreeSet<>();
    for (String entry : spec.split(",")) {
      ZkPeer p = parse(entry.trim());
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException("peer id " + p.id() + " appears twice in '" + spec + "'");
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  static ZkPeer parse(String entry) {
    String usage = "expected id=host:clientPort:quorumPort:electionPort, got '" + entry + "'";
    int eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(usage);
    }
    String[] parts = entry.substring(eq + 1).split(":");
    if (parts.length != 4 || parts[0].isBlank()) {
      throw new IllegalArgumentException(usage);
    }
    try {
      int id = Integer.parseInt(entry.substring(0, eq).trim());
      if (id < 1 || id > 255) {
        throw new IllegalArgumentException("peer id must be 1..255, got " + id + " in '" + entry + "'");
      }
      return new ZkPeer(id, parts[0], port(parts[1], entry), port(parts[2], entry), port(parts[3], entry));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage, e);
    }
  }

  private static int port(String text, String entry) {
    int p = Integer.parseInt(text.trim());
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port " + p + " out of range in '" + entry + "'");
    }
    return p;
  }

  /** The ensemble's client addresses, "h1:2181,h2:2181,…". */
  public static String connectString(List<ZkPeer> peers) {
    return peers.stream().map(p -> p.host() + ":" + p.clientPort()).collect(Collectors.joining(","));
  }
}
