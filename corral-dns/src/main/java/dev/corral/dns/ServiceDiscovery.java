package dev.corral.dns;

import dev.corral.services.engine.ServicesView;
import dev.corral.services.events.EventBus;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Service discovery as a master runs it: the record table following the scheduler ({@link Discovery}), the DNS
 * server answering from it ({@link DnsServer}), the VIP proxy balancing over it ({@link VipProxy}), and the
 * HTTP endpoint ({@link DiscoveryRoutes}) to mount on the master's server. Started and closed as one.
 */
public final class ServiceDiscovery implements AutoCloseable {
  private final Discovery discovery;
  private final DnsServer server;
  private final VipProxy proxy;

  private ServiceDiscovery(Discovery discovery, DnsServer server, VipProxy proxy) {
    this.discovery = discovery;
    this.server = server;
    this.proxy = proxy;
  }

  /**
   * @param masterHost the name the master advertises; {@code leader.<domain>} answers its IPv4 address
   * @throws IOException when the DNS port cannot be bound
   */
  public static ServiceDiscovery start(DnsConfig config, Supplier<CompletableFuture<ServicesView>> views,
      EventBus events, String masterHost) throws IOException {
    Discovery discovery = new Discovery(config, views, events, ipv4(masterHost)).start();
    DnsServer server;
    try {
      server = new DnsServer(config, discovery::table).start();
    } catch (IOException e) {
      discovery.close();
      throw e;
    }
    VipProxy proxy = new VipProxy().start();
    discovery.onTable(proxy::update);
    return new ServiceDiscovery(discovery, server, proxy);
  }

  public int dnsPort() {
    return server.port();
  }

  public RecordTable table() {
    return discovery.table();
  }

  /** Mounts {@code /v1/discovery/…}. */
  public void install(JavalinConfig config) {
    new DiscoveryRoutes(discovery::table).install(config);
  }

  @Override
  public void close() {
    discovery.close();
    server.close();
    proxy.close();
  }

  private static InetAddress ipv4(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    } catch (UnknownHostException e) {
      // fall back to loopback: right for a single machine
    }
    return InetAddress.getLoopbackAddress();
  }
}
