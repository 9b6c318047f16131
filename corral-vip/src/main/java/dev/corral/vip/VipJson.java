package dev.corral.vip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of the VIP table, as {@code GET /v1/discovery/vips} serves it and agents read it:
 * <pre>{"index": 7, "vips": [{"name": "web.marathon.l4lb.corral", "ip": "127.77.18.203", "port": 80,
 *   "protocol": "tcp", "backends": ["10.0.0.5:20001", …]}]}</pre>
 * {@code index} grows whenever the routes change (not on every table rebuild), so that a follower can wait for
 * the next change. Pure.
 */
public final class VipJson {
  private VipJson() {}

  public static ObjectNode write(long index, List<VipRoute> routes) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("index", index);
    ArrayNode vips = out.putArray("vips");
    for (VipRoute r : routes) {
      ObjectNode o = vips.addObject();
      o.put("name", r.name()).put("ip", r.address().getHostAddress()).put("port", r.port())
          .put("protocol", r.protocol());
      ArrayNode b = o.putArray("backends");
      r.backends().forEach(a -> b.add(hostPort(a)));
    }
    return out;
  }

  /** The index of a table in the JSON form; -1 when it has none. */
  public static long index(JsonNode table) {
    return table.path("index").asLong(-1);
  }

  /**
   * The routes of a table in the JSON form; entries with literal addresses only (never a name lookup).
   *
   * @throws IllegalArgumentException naming the field that is not as expected
   */
  public static List<VipRoute> read(JsonNode table) {
    List<VipRoute> out = new ArrayList<>();
    JsonNode vips = table.path("vips");
    for (int i = 0; i < vips.size(); i++) {
      JsonNode v = vips.get(i);
      String at = "vips[" + i + "]";
      List<InetSocketAddress> backends = new ArrayList<>();
      JsonNode b = v.path("backends");
      for (int j = 0; j < b.size(); j++) {
        backends.add(parseHostPort(b.get(j).asText(), at + ".backends[" + j + "]"));
      }
      out.add(new VipRoute(v.path("name").asText(), literal(v.path("ip").asText(), at + ".ip"),
          v.path("port").asInt(), v.path("protocol").asText(VipRoute.TCP), backends));
    }
    return out;
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  static InetSocketAddress parseHostPort(String text, String field) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(field + ": not ip:port: " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(literal(host, field), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": not ip:port: " + text, e);
    }
  }

  private static InetAddress literal(String ip, String field) {
    if (!ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException(field + ": not an IP address: " + ip);
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(field + ": not an IP address: " + ip, e);
    }
  }
}
