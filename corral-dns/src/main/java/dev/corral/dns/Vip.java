package dev.corral.dns;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named virtual address from a port label {@code VIP_<n>: "/name:port"} (DC/OS' Minuteman format): the
 * stable {@code <name>.marathon.l4lb.<domain>:port} in front of the port's tasks. Immutable.
 *
 * @param label the DNS label of the name ({@link DnsNames#flatten})
 * @param port the virtual port clients connect to
 */
public record Vip(String label, int port) {
  private static final Pattern KEY = Pattern.compile("VIP_\\d+");
  private static final Pattern VALUE = Pattern.compile("/?([^:]+):(\\d{1,5})");

  /**
   * The VIP a label names, if it is one in the named form; the IP form ({@code 10.0.0.1:80}) of DC/OS is not
   * supported, since the address would have to be routed.
   */
  static Optional<Vip> parse(String key, String value) {
    if (!KEY.matcher(key).matches() || value == null) {
      return Optional.empty();
    }
    Matcher m = VALUE.matcher(value.trim());
    if (!m.matches() || m.group(1).matches("[0-9.]+")) {
      return Optional.empty();
    }
    int port = Integer.parseInt(m.group(2));
    String label = DnsNames.flatten(m.group(1));
    if (port < 1 || port > 65535 || label.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Vip(label, port));
  }

  /** The VIPs among a port's labels. */
  static java.util.List<Vip> fromLabels(Map<String, String> labels) {
    java.util.List<Vip> out = new java.util.ArrayList<>();
    new java.util.TreeMap<>(labels).forEach((k, v) -> parse(k, v).ifPresent(out::add));
    return out;
  }
}
