package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The maintenance schedule and machine lists in Mesos' JSON shape:
 * <pre>{@code
 * {"windows": [{"machine_ids": [{"hostname": "node-1", "ip": "10.0.0.1"}],
 *               "unavailability": {"start": {"nanoseconds": 1700000000000000000},
 *                                  "duration": {"nanoseconds": 3600000000000}}}]}
 * }</pre>
 * Parsing validates and names the field path of the first problem ({@link OperatorException} with 400).
 * Stateless.
 */
public final class MaintenanceJson {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private MaintenanceJson() {}

  /** Parses {@code {"windows": […]}}; {@code prefix} is prepended to field paths in errors. */
  public static List<MaintenanceWindow> windows(JsonNode body, String prefix) {
    if (body == null || !body.isObject()) {
      throw bad(prefix.isEmpty() ? "(body)" : prefix, "must be an object with \"windows\"");
    }
    JsonNode windows = body.get("windows");
    String path = prefix + "windows";
    if (windows == null || windows.isNull()) {
      return List.of();
    }
    if (!windows.isArray()) {
      throw bad(path, "must be an array");
    }
    List<MaintenanceWindow> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      out.add(window(windows.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static MaintenanceWindow window(JsonNode w, String path) {
    if (!w.isObject()) {
      throw bad(path, "must be an object");
    }
    List<MachineId> machines = machines(w.get("machine_ids"), path + ".machine_ids");
    if (machines.isEmpty()) {
      throw bad(path + ".machine_ids", "must name at least one machine");
    }
    JsonNode u = w.get("unavailability");
    if (u == null || !u.isObject()) {
      throw bad(path + ".unavailability", "is required: {\"start\": {\"nanoseconds\": …}}");
    }
    long start = nanos(u.get("start"), path + ".unavailability.start", true);
    OptionalLong duration = OptionalLong.empty();
    if (u.has("duration") && !u.get("duration").isNull()) {
      long d = nanos(u.get("duration"), path + ".unavailability.duration", false);
      if (d <= 0) {
        throw bad(path + ".unavailability.duration.nanoseconds", "must be positive");
      }
      duration = OptionalLong.of(Math.max(1, d / NANOS_PER_MILLI));
    }
    return new MaintenanceWindow(machines, start / NANOS_PER_MILLI, duration);
  }

  private static long nanos(JsonNode node, String path, boolean required) {
    if (node == null || !node.isObject()) {
      throw bad(path, (required ? "is required as " : "must be ") + "{\"nanoseconds\": <integer>}");
    }
    JsonNode n = node.get("nanoseconds");
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw bad(path + ".nanoseconds", "must be an integer");
    }
    return n.asLong();
  }

  /** Parses a list of machine ids: {@code [{"hostname": …, "ip": …}, …]}. */
  public static List<MachineId> machines(JsonNode list, String path) {
    if (list == null || !list.isArray()) {
      throw bad(path, "must be an array of {\"hostname\", \"ip\"}");
    }
    List<MachineId> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String at = path + "[" + i + "]";
      if (!m.isObject()) {
        throw bad(at, "must be an object with \"hostname\" and/or \"ip\"");
      }
      String hostname = text(m, "hostname", at);
      String ip = text(m, "ip", at);
      if (hostname.isBlank() && ip.isBlank()) {
        throw bad(at, "needs a hostname or an ip");
      }
      out.add(new MachineId(hostname.strip(), ip.strip()));
    }
    return out;
  }

  private static String text(JsonNode m, String field, String path) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw bad(path + "." + field, "must be a string");
    }
    return v.asText();
  }

  public static ObjectNode render(List<MaintenanceWindow> windows) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode list = root.putArray("windows");
    for (MaintenanceWindow w : windows) {
      ObjectNode o = list.addObject();
      o.set("machine_ids", renderMachines(w.machines()));
      ObjectNode u = o.putObject("unavailability");
      u.putObject("start").put("nanoseconds", w.startMillis() * NANOS_PER_MILLI);
      w.durationMillis().ifPresent(d -> u.putObject("duration").put("nanoseconds", d * NANOS_PER_MILLI));
    }
    return root;
  }

  public static ArrayNode renderMachines(List<MachineId> machines) {
    ArrayNode ids = Json.mapper().createArrayNode();
    for (MachineId m : machines) {
      ObjectNode id = ids.addObject();
      if (!m.hostname().isEmpty()) {
        id.put("hostname", m.hostname());
      }
      if (!m.ip().isEmpty()) {
        id.put("ip", m.ip());
      }
    }
    return ids;
  }

  private static OperatorException bad(String path, String message) {
    return new OperatorException(400, path + ": " + message);
  }
}
