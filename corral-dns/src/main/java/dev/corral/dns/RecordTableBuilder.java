package dev.corral.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

/**
 * Builds a {@link RecordTable} from the apps: the Mesos-DNS names under {@code marathon.<domain>}, the agents'
 * under {@code marathon.slave.<domain>}, the VIPs' under {@code marathon.l4lb.<domain>}, and the master's.
 * Pure; its cost is linear in the tasks, paid once per change, never per query.
 */
public final class RecordTableBuilder {
  private final Name domain;
  private final long ttl;
  private final InetAddress master;

  /**
   * @param domain e.g. "corral"
   * @param ttl seconds clients may cache an answer; short, since tasks come and go
   * @param master the address of {@code leader.<domain>} and {@code master.<domain>}
   */
  public RecordTableBuilder(String domain, long ttl, InetAddress master) {
    this.domain = absolute(domain);
    this.ttl = ttl;
    this.master = master;
  }

  public RecordTable build(long generation, List<DiscoveredApp> apps) {
    Map<String, Set<Record>> records = new HashMap<>();
    Set<String> names = new HashSet<>();
    Name ns = name("ns1");
    SOARecord soa = new SOARecord(domain, DClass.IN, ttl, ns, name("root.ns1"), generation, 60, 60, 86400, ttl);
    add(records, names, soa);
    add(records, names, new NSRecord(domain, DClass.IN, ttl, ns));
    for (String host : List.of("ns1", "leader", "master")) {
      add(records, names, new ARecord(name(host), DClass.IN, ttl, master));
    }
    Map<VipKey, List<InetSocketAddress>> vipBackends = new TreeMap<>(java.util.Comparator
        .comparing((VipKey k) -> k.vip().label()).thenComparingInt(k -> k.vip().port()).thenComparing(VipKey::protocol));
    for (DiscoveredApp app : apps) {
      addApp(records, names, app, vipBackends);
    }
    Map<String, InetAddress> vipIps = VipAddresses.assign(
        vipBackends.keySet().stream().map(k -> k.vip().label()).collect(java.util.stream.Collectors.toSet()));
    List<RecordTable.VipEntry> vips = new ArrayList<>();
    vipBackends.forEach((key, backends) -> {
      Name vipName = name(key.vip().label() + ".marathon.l4lb");
      InetAddress ip = vipIps.get(key.vip().label());
      add(records, names, new ARecord(vipName, DClass.IN, ttl, ip));
      vips.add(new RecordTable.VipEntry(key.vip(), relative(vipName), ip, key.protocol(),
          List.copyOf(new LinkedHashSet<>(backends))));
    });
    Map<String, List<Record>> frozen = new HashMap<>();
    records.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new RecordTable(generation, domain, soa, frozen, names, apps, vips);
  }

  private void addApp(Map<String, Set<Record>> records, Set<String> names, DiscoveredApp app,
      Map<VipKey, List<InetSocketAddress>> vipBackends) {
    String label = DnsNames.flatten(app.appId());
    if (label.isEmpty()) {
      return;
    }
    Name appName = name(label + ".marathon");
    Name slaveName = name(label + ".marathon.slave");
    for (DiscoveredApp.Task task : app.addressable()) {
      List<InetAddress> host = new ArrayList<>();
      addIfPresent(host, ipv4(task.ip()));
      addIfPresent(host, ipv6(task.ip6()));
      // As Mesos-DNS (IP sources netinfo, then host): the app's and the task's names carry the task's own
      // address on a container network; SRV records name host ports, so their target is then the task's
      // name under marathon.slave, which carries the agent's address.
      List<InetAddress> own = new ArrayList<>();
      for (String c : task.containerIps()) {
        addIfPresent(own, ipv4(c) != null ? ipv4(c) : ipv6(c));
      }
      List<InetAddress> named = own.isEmpty() ? host : own;
      if (named.isEmpty()) {
        continue;
      }
      String taskLabel = DnsNames.taskLabel(label, task.taskId());
      Name taskName = name(taskLabel + ".marathon");
      Name target = own.isEmpty() ? taskName : name(taskLabel + ".marathon.slave");
      for (Name n : List.of(appName, taskName)) {
        named.forEach(ip -> add(records, names, address(n, ip)));
      }
      for (Name n : own.isEmpty() ? List.of(slaveName) : List.of(slaveName, target)) {
        host.forEach(ip -> add(records, names, address(n, ip)));
      }
      for (DiscoveredApp.Port port : app.ports()) {
        if (port.index() >= task.hostPorts().size()) {
          continue;
        }
        int hostPort = task.hostPorts().get(port.index());
        for (String proto : port.protocol().split(",")) {
          String p = "_" + DnsNames.label(proto.trim());
          add(records, names, srv("_" + label + "." + p + ".marathon", hostPort, target));
          if (port.name() != null && !DnsNames.label(port.name()).isEmpty()) {
            add(records, names, srv("_" + DnsNames.label(port.name()) + "._" + label + "." + p + ".marathon",
                hostPort, target));
          }
        }
      }
    }
    List<DiscoveredApp.Task> serving = app.serving();
    for (DiscoveredApp.Port port : app.ports()) {
      for (Vip vip : port.vips()) {
        for (String proto : port.protocol().split(",")) {
          String protocol = proto.trim().toLowerCase(java.util.Locale.ROOT);
          if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            continue;
          }
          List<InetSocketAddress> backends = vipBackends.computeIfAbsent(new VipKey(vip, protocol),
              v -> new ArrayList<>());
          for (DiscoveredApp.Task t : serving) {
            if (port.index() < t.hostPorts().size()) {
              backends.add(new InetSocketAddress(ipv4(t.ip()), t.hostPorts().get(port.index())));
            }
          }
        }
      }
    }
  }

  /** A VIP and one protocol of its port: one listener of the proxy. */
  private record VipKey(Vip vip, String protocol) {}

  private Record address(Name n, InetAddress ip) {
    return ip instanceof java.net.Inet6Address ? new AAAARecord(n, DClass.IN, ttl, ip) : new ARecord(n, DClass.IN, ttl, ip);
  }

  private static void addIfPresent(List<InetAddress> list, InetAddress ip) {
    if (ip != null) {
      list.add(ip);
    }
  }

  private SRVRecord srv(String relativeName, int port, Name target) {
    return new SRVRecord(name(relativeName), DClass.IN, ttl, 0, 1, port, target);
  }

  /** Adds a record, and its name with every name between it and the domain to the names that exist. */
  private void add(Map<String, Set<Record>> records, Set<String> names, Record r) {
    records.computeIfAbsent(RecordTable.key(r.getName()), k -> new LinkedHashSet<>()).add(r);
    Name n = r.getName();
    while (n.subdomain(domain)) {
      if (!names.add(RecordTable.key(n)) || n.equals(domain)) {
        break;
      }
      n = new Name(n, 1);
    }
  }

  private Name name(String relative) {
    try {
      return Name.fromString(relative, domain);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + relative, e);
    }
  }

  private String relative(Name n) {
    String s = n.toString();
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  static Name absolute(String domain) {
    try {
      return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS domain: " + domain, e);
    }
  }

  /** A literal IPv4 address; null for anything else (never a lookup). */
  private static InetAddress ipv4(String literal) {
    if (literal == null || !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A literal IPv6 address; null for anything else (never a lookup). */
  private static InetAddress ipv6(String literal) {
    if (literal == null || !literal.contains(":") || !literal.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByName(literal);
      return a instanceof java.net.Inet6Address ? a : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** For tests and the HTTP endpoint: the names of an app's records. */
  static Map<String, String> appNames(String appId, String domain) {
    String label = DnsNames.flatten(appId);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("a", label + ".marathon." + domain);
    out.put("srv", "_" + label + "._tcp.marathon." + domain);
    out.put("agents", label + ".marathon.slave." + domain);
    return out;
  }
}
