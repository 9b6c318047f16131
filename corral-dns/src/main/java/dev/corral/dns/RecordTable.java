package dev.corral.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import dev.corral.vip.VipRoute;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Every name the server answers, built in one go from a snapshot of the apps ({@link RecordTableBuilder}) and
 * then only read: lookups are a hash-map get, whatever the number of tasks. Immutable and thread-safe; a new
 * table replaces the old one as a whole.
 *
 * @param generation increases with each table; the SOA serial
 * @param records by lower-case absolute name
 * @param names every name that exists, with the names between it and the domain (so that those answer
 *     NOERROR without data, not NXDOMAIN)
 * @param apps the apps the table was built from, for the HTTP endpoint
 * @param vips the virtual addresses and what they balance over, for the proxy
 */
public record RecordTable(long generation, Name domain, SOARecord soa, Map<String, List<Record>> records,
    Set<String> names, List<DiscoveredApp> apps, List<VipEntry> vips) {

  public RecordTable {
    records = Map.copyOf(records);
    names = Set.copyOf(names);
    apps = List.copyOf(apps);
    vips = List.copyOf(vips);
  }

  /**
   * One virtual address.
   *
   * @param address the VIP's IP in 127.77.0.0/16
   * @param protocol "tcp" or "udp" (a port with both gives two entries)
   * @param backends host and port of each task that serves it now
   */
  public record VipEntry(Vip vip, String name, InetAddress address, String protocol,
      List<InetSocketAddress> backends) {
    public VipEntry {
      backends = List.copyOf(backends);
    }

    public VipRoute route() {
      return new VipRoute(name, address, vip.port(), protocol, backends);
    }
  }

  /** The VIPs as the proxy takes them. */
  public List<VipRoute> routes() {
    return vips.stream().map(VipEntry::route).toList();
  }

  /** The records of a name, every type; empty when it has none. */
  public List<Record> lookup(Name name) {
    return records.getOrDefault(key(name), List.of());
  }

  public boolean exists(Name name) {
    return names.contains(key(name));
  }

  public boolean inDomain(Name name) {
    return name.subdomain(domain);
  }

  static String key(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }
}
