package dev.corral.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Agents' host names to IPv4 and IPv6 addresses, through the system resolver, remembered for a minute so that a table
 * rebuild does not look every host up again. Used only by the discovery thread: not thread-safe.
 */
final class HostAddresses {
  private static final Duration KEEP = Duration.ofMinutes(1);
  private record Entry(String ip, String ip6, Instant until) {}

  private final Clock clock;
  private final Map<String, Entry> cache = new HashMap<>();

  HostAddresses(Clock clock) {
    this.clock = clock;
  }

  /** The host's first IPv4 address; null when it has none. */
  String ipv4(String host) {
    Entry e = entry(host);
    return e == null ? null : e.ip();
  }

  /** The host's first IPv6 address; null when it has none. */
  String ipv6(String host) {
    Entry e = entry(host);
    return e == null ? null : e.ip6();
  }

  private Entry entry(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    Entry e = cache.get(host);
    if (e == null || now.isAfter(e.until())) {
      e = lookup(host, now.plus(KEEP));
      cache.put(host, e);
    }
    return e;
  }

  private static Entry lookup(String host, Instant until) {
    String v4 = null;
    String v6 = null;
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address && v4 == null) {
          v4 = a.getHostAddress();
        } else if (a instanceof Inet6Address && v6 == null) {
          v6 = ((Inet6Address) a).getScopeId() == 0 ? a.getHostAddress() : null;
        }
      }
    } catch (UnknownHostException e) {
      // no address: the task gets no A record
    }
    return new Entry(v4, v6, until);
  }
}
