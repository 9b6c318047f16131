package dev.corral.agent.net;

/**
 * An IPv4 range in CIDR form ({@code 172.31.0.0/16}). The first address is the bridge's (the containers'
 * gateway), the last is broadcast; containers get the ones in between. Immutable.
 *
 * @param base the network address, as an unsigned 32-bit value
 * @param prefix the prefix length, 8 to 30
 */
public record Subnet(long base, int prefix) {
  public static final String DEFAULT = "172.31.0.0/16";

  public Subnet {
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("a container network needs a prefix from /8 to /30, got /" + prefix);
    }
    if ((base & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(format(base) + "/" + prefix + " is not a network address");
    }
  }

  public static Subnet parse(String cidr) {
    String[] parts = cidr.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + cidr + "' is not in CIDR form, e.g. " + DEFAULT);
    }
    try {
      return new Subnet(parseAddress(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not in CIDR form, e.g. " + DEFAULT);
    }
  }

  /** The bridge's address, the containers' default route. */
  public String gateway() {
    return format(base + 1);
  }

  /** How many addresses containers can get. */
  public int capacity() {
    return (int) ((1L << (32 - prefix)) - 3);
  }

  /** The container address with index {@code i} (0 ≤ i < capacity). */
  public String address(int i) {
    if (i < 0 || i >= capacity()) {
      throw new IndexOutOfBoundsException(i);
    }
    return format(base + 2 + i);
  }

  public boolean contains(String address) {
    return (parseAddress(address) & mask(prefix)) == base;
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }

  private static long mask(int prefix) {
    return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  static long parseAddress(String s) {
    String[] octets = s.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
    }
    long v = 0;
    for (String o : octets) {
      int b = Integer.parseInt(o);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  static String format(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
