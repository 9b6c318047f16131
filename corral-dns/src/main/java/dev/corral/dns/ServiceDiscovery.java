package dev.corral.dns;

import dev.corral.services.engine.ServicesView;
import dev.corral.services.events.EventBus;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import dev.corral.vip.VipRoute;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Service discovery as a master runs it: the record table following the scheduler ({@link Discovery}), the DNS
 * server answering from it ({@link DnsServer}), and the HTTP endpoint ({@link DiscoveryRoutes}) to mount on the
 * master's server, which the agents' VIP proxies follow. Started and closed as one.
 */
public final class ServiceDiscovery implements AutoCloseable {
  private final Discovery discovery;
  private final DnsServer server;
  private final VipWatch vips;

  private ServiceDiscovery(Discovery discovery, DnsServer server, VipWatch vips) {
    this.discovery = discovery;
    this.server = server;
    this.vips = vips;
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
    VipWatch vips = new VipWatch(Clock.systemUTC());
    discovery.onTable(vips);
    return new ServiceDiscovery(discovery, server, vips);
  }

  public int dnsPort() {
    return server.port();
  }

  public RecordTable table() {
    return discovery.table();
  }

  /**
   * Calls {@code listener} with the VIP routes now and whenever they change, on the discovery thread (a proxy in
   * the master's own process: {@code corral up}).
   */
  public void onRoutes(Consumer<List<VipRoute>> listener) {
    discovery.onTable(new Consumer<>() {
      private List<VipRoute> last;

      @Override
      public void accept(RecordTable table) {
        List<VipRoute> routes = table.routes();
        if (!routes.equals(last)) {
          last = routes;
          listener.accept(routes);
        }
      }
    });
  }

  /** Mounts {@code /v1/discovery/…}. */
  public void install(JavalinConfig config) {
    new DiscoveryRoutes(discovery::table, vips).install(config);
  }

  @Override
  public void close() {
    discovery.close();
    server.close();
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
