package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A role's weight and quota. {@code guarantee} and {@code limit} are null when not set; in a limit, a kind
 * left out is unlimited (NaN), in a guarantee it is 0. Immutable.
 */
record RoleSettings(double weight, Scalars guarantee, Scalars limit) {
  static final RoleSettings DEFAULT = new RoleSettings(1.0, null, null);

  boolean isDefault() {
    return weight == 1.0 && guarantee == null && limit == null;
  }

  RoleSettings withWeight(double w) {
    return new RoleSettings(w, guarantee, limit);
  }

  RoleSettings withQuota(Scalars g, Scalars l) {
    return new RoleSettings(weight, g, l);
  }

  /** {@code {"cpus": 2, "mem": 1024}}: kinds not set are left out. */
  static ObjectNode json(Scalars s) {
    ObjectNode o = Json.mapper().createObjectNode();
    put(o, "cpus", s.cpus());
    put(o, "mem", s.mem());
    put(o, "disk", s.disk());
    put(o, "gpus", s.gpus());
    return o;
  }

  private static void put(ObjectNode o, String name, double v) {
    if (!Double.isNaN(v) && v != 0) {
      o.put(name, v);
    }
  }

  /** Public view: kind → amount, kinds not set left out. */
  static Map<String, Double> map(Scalars s) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (s == null) {
      return out;
    }
    json(s).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
    return out;
  }

  /**
   * Parses {@code {"cpus": 2, …}} as a guarantee (absent = 0) or a limit (absent = unlimited); errors name
   * {@code path.kind}.
   */
  static Scalars scalars(JsonNode node, String path) {
    boolean limit = path.endsWith("limit");
    double absent = limit ? Double.NaN : 0;
    double[] v = {absent, absent, absent, absent};
    if (!node.isObject()) {
      throw new OperatorException(400, path + ": must be an object like {\"cpus\": 2, \"mem\": 1024}");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      int k = switch (f.getKey()) {
        case "cpus" -> 0;
        case "mem" -> 1;
        case "disk" -> 2;
        case "gpus" -> 3;
        default -> throw new OperatorException(400, path + "." + f.getKey()
            + ": unknown resource (quota is of cpus, mem, disk and gpus)");
      };
      if (!f.getValue().isNumber() || f.getValue().asDouble() < 0) {
        throw new OperatorException(400, path + "." + f.getKey() + ": must be a number, 0 or more");
      }
      v[k] = f.getValue().asDouble();
    }
    return new Scalars(v[0], v[1], v[2], v[3]);
  }
}
