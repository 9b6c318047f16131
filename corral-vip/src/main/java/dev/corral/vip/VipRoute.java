package dev.corral.vip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * One virtual address as the proxy needs it: where to listen, with which protocol, and the tasks that serve it
 * now. Immutable.
 *
 * @param name the VIP's DNS name, e.g. {@code web.marathon.l4lb.corral} (for logs and the JSON form)
 * @param address its IP in 127.77.0.0/16
 * @param port the virtual port clients use
 * @param protocol {@link #TCP} or {@link #UDP}
 * @param backends host address and port of each serving task, in rotation order
 */
public record VipRoute(String name, InetAddress address, int port, String protocol, List<InetSocketAddress> backends) {
  public static final String TCP = "tcp";
  public static final String UDP = "udp";

  public VipRoute {
    backends = List.copyOf(backends);
    protocol = protocol == null ? TCP : protocol.toLowerCase(Locale.ROOT);
    if (!protocol.equals(TCP) && !protocol.equals(UDP)) {
      throw new IllegalArgumentException("protocol: must be tcp or udp, got " + protocol);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: must be 1..65535, got " + port);
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }
}
