package dev.corral.dns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * How the DNS server runs. Immutable.
 *
 * @param bindAddress where it listens (UDP and TCP)
 * @param port its port; 0 for any free one (tests)
 * @param domain the zone it is authoritative for, e.g. "corral"
 * @param ttl seconds answers may be cached
 * @param upstreams where names outside the domain are forwarded; empty to refuse them
 */
public record DnsConfig(String bindAddress, int port, String domain, long ttl, List<InetSocketAddress> upstreams) {
  public static final String DEFAULT_DOMAIN = "corral";
  /** Short: tasks come and go, and a client should see a killed task leave within seconds. */
  public static final long DEFAULT_TTL = 1;

  public DnsConfig {
    upstreams = List.copyOf(upstreams);
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException("the DNS domain may not be empty");
    }
    domain = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }

  public static DnsConfig of(String bindAddress, int port, String domain) {
    return new DnsConfig(bindAddress, port, domain, DEFAULT_TTL, List.of());
  }

  public DnsConfig withUpstreams(List<InetSocketAddress> servers) {
    return new DnsConfig(bindAddress, port, domain, ttl, servers);
  }

  /** Parses {@code host:port,host:port} (port 53 when left out); empty or null for none. */
  public static List<InetSocketAddress> parseUpstreams(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.lastIndexOf(':');
      try {
        out.add(colon < 0 ? new InetSocketAddress(p, 53)
            : new InetSocketAddress(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--dns-upstreams: not host:port: " + p, e);
      }
    }
    return out;
  }
}
