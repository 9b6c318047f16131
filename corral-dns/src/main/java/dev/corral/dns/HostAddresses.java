package dev.corral.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Agents' host names to IPv4 addresses, through the system resolver, remembered for a minute so that a table
 * rebuild does not look every host up again. Used only by the discovery thread: not thread-safe.
 */
final class HostAddresses {
  private static final Duration KEEP = Duration.ofMinutes(1);
  private record Entry(String ip, Instant until) {}

  private final Clock clock;
  private final Map<String, Entry> cache = new HashMap<>();

  HostAddresses(Clock clock) {
    this.clock = clock;
  }

  /** The host's first IPv4 address; null when it has none. */
  String ipv4(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    Entry e = cache.get(host);
    if (e == null || now.isAfter(e.until())) {
      e = new Entry(lookup(host), now.plus(KEEP));
      cache.put(host, e);
    }
    return e.ip();
  }

  private static String lookup(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
    } catch (UnknownHostException e) {
      // no address: the task gets no A record
    }
    return null;
  }
}
