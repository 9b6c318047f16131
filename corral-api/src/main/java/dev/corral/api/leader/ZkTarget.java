package dev.corral.api.leader;

import java.net.URI;

/**
 * A cluster's ZooKeeper address as masters, agents and schedulers write it: {@code zk://h1:2181,h2:2181/corral}
 * (or without the scheme). The path is the cluster's root in ZooKeeper (default {@code corral}), used as
 * Curator's namespace.
 *
 * @param connect "h1:2181,h2:2181"
 * @param namespace the root without its leading slash, e.g. "corral"
 */
public record ZkTarget(String connect, String namespace) {
  public static final String DEFAULT_NAMESPACE = "corral";
  /** The authority of channels to {@link #channelTarget()}: how to tell that a channel follows the leader. */
  public static final String AUTHORITY = "leader.corral";

  /** @throws IllegalArgumentException when no host is given */
  public static ZkTarget parse(String text) {
    String rest = text.startsWith("zk://") ? text.substring("zk://".length()) : text;
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (hosts.isBlank()) {
      throw new IllegalArgumentException("a ZooKeeper address needs host:port[,host:port…], got '" + text + "'");
    }
    return new ZkTarget(hosts, path.isEmpty() ? DEFAULT_NAMESPACE : path);
  }

  /**
   * Parses a gRPC target URI (the channel hands the resolver a URI): {@link #channelTarget()}'s form, or
   * {@code zk://host:port/root} with a single host.
   */
  static ZkTarget of(URI uri) {
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (authority.isEmpty() && path.startsWith("/")) {
      path = path.substring(1);
    }
    return parse(authority + path);
  }

  /**
   * The target to build a gRPC channel with: {@code zk:///h1:2181,h2:2181/root}. The hosts go in the path,
   * since gRPC's URI parser refuses a comma-separated list as an authority.
   */
  public String channelTarget() {
    return "zk:///" + connect + "/" + namespace;
  }

  @Override
  public String toString() {
    return "zk://" + connect + "/" + namespace;
  }
}
