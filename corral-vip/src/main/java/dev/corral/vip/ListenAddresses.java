package dev.corral.vip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.UnaryOperator;

/**
 * Where a proxy listens for a VIP address. On its own machine every proxy listens on the VIP address itself
 * (127.77.c.d). Several agents sharing one machine's loopback (the end-to-end tests) would clash there, so
 * each can be given its own /16 of 127.0.0.0/8: 127.77.c.d is then served on 127.b.c.d. Immutable.
 */
public final class ListenAddresses {
  private ListenAddresses() {}

  /** Listen on the VIP addresses themselves. */
  public static UnaryOperator<InetAddress> same() {
    return UnaryOperator.identity();
  }

  /**
   * Parses {@code 127.B.0.0/16}: the VIP 127.77.c.d is served on 127.B.c.d.
   *
   * @throws IllegalArgumentException when the text is not a /16 in 127.0.0.0/8
   */
  public static UnaryOperator<InetAddress> parse(String cidr) {
    String text = cidr == null ? "" : cidr.trim();
    if (!text.matches("127\\.\\d{1,3}\\.0\\.0/16")) {
      throw new IllegalArgumentException("--vip-network: must be a /16 in 127.0.0.0/8 such as 127.78.0.0/16, got '"
          + cidr + "'");
    }
    int b = Integer.parseInt(text.split("\\.")[1]);
    if (b > 255) {
      throw new IllegalArgumentException("--vip-network: not an IPv4 network: " + cidr);
    }
    return vip -> {
      if (!(vip instanceof Inet4Address)) {
        return vip;
      }
      byte[] a = vip.getAddress();
      a[1] = (byte) b;
      try {
        return InetAddress.getByAddress(a);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
