package dev.corral.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gives each VIP name an address in 127.77.0.0/16. The whole of 127.0.0.0/8 is local on Linux, so a proxy can
 * listen on any of these addresses without configuring an interface or a route, and every node that runs the
 * proxy answers the same address the same way.
 *
 * <p>The address follows from the name's hash, so it is the same across restarts and on every node; a clash
 * moves the later name (in sorted order) to the next free address. Pure.
 */
final class VipAddresses {
  /** 65,534 usable addresses: 127.77.0.1 … 127.77.255.254. */
  private static final int SPACE = 65534;

  private VipAddresses() {}

  static Map<String, InetAddress> assign(Set<String> labels) {
    Map<String, InetAddress> out = new HashMap<>();
    Set<Integer> taken = new HashSet<>();
    for (String label : new TreeSet<>(labels)) {
      int slot = Math.floorMod(label.hashCode() * 0x9E3779B1, SPACE);
      while (!taken.add(slot)) {
        slot = (slot + 1) % SPACE;
      }
      int host = slot + 1;
      out.put(label, address(host >> 8, host & 0xff));
    }
    return out;
  }

  private static InetAddress address(int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 77, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
