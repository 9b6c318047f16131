package dev.corral.dist;

import dev.corral.dns.DnsConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import picocli.CommandLine.Option;

/** The DNS flags of `corral master` and `corral up`. */
public final class DnsOptions {
  static final int STANDARD_PORT = 53;
  static final int FALLBACK_PORT = 8053;

  @Option(names = "--dns-port", paramLabel = "PORT|auto", defaultValue = "${env:CORRAL_DNS_PORT:-auto}",
      description = "Port of the DNS server, UDP and TCP (default: 53 when running as root and it is free, else"
          + " 8053, else any free port; 0 for any free port).")
  String port;

  @Option(names = "--dns-domain", defaultValue = DnsConfig.DEFAULT_DOMAIN,
      description = "Domain the DNS server answers for (default: ${DEFAULT-VALUE}).")
  String domain;

  @Option(names = "--dns-upstreams", paramLabel = "HOST:PORT,…",
      description = "Resolvers to forward other names to (default: none; other names are refused).")
  String upstreams;

  /** The server's configuration on the {@code bind} address. */
  DnsConfig toConfig(String bind) {
    int p;
    if (port == null || port.equals("auto")) {
      p = free(bind, STANDARD_PORT) ? STANDARD_PORT : free(bind, FALLBACK_PORT) ? FALLBACK_PORT : 0;
    } else {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--dns-port: not a port: " + port, e);
      }
    }
    return DnsConfig.of(bind, p, domain).withUpstreams(DnsConfig.parseUpstreams(upstreams));
  }

  /** Whether this process may bind the port (below 1024: only as root) and nothing holds it, UDP or TCP. */
  private static boolean free(String bind, int port) {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bind), port));
        ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(bind))) {
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
