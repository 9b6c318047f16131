package dev.corral.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.ResourceSet;
import dev.corral.api.Ranges;
import dev.corral.api.v1.Resource;
import dev.corral.common.Json;
import dev.corral.master.AgentEndpoint;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent list in the shape of Mesos' {@code /master/slaves}: {@code {"slaves": [{"id", "hostname",
 * "port", "attributes", "resources", "used_resources", "active", "version"}]}}, plus Corral's
 * {@code http_address} (where the agent's files, logs and metrics are served), {@code state} (the
 * connection), {@code maintenance} (ACTIVE, DRAINING, DRAINED or DEACTIVATED) and {@code persistent_volumes}
 * ({@code [{"persistence_id", "role", "size_mb"}]}; their disk is in no other figure).
 * Resources are {@code {"cpus": 4, "mem": 4096, "ports": "[31000-32000]"}}, summed over roles. Stateless.
 */
final class AgentsJson {
  private AgentsJson() {}

  static ObjectNode render(List<AgentEndpoint> agents) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode list = root.putArray("slaves");
    for (AgentEndpoint a : agents) {
      list.add(agent(a));
    }
    return root;
  }

  /** One agent in that shape. */
  static ObjectNode agent(AgentEndpoint a) {
    ObjectNode o = Json.mapper().createObjectNode();
    {
      o.put("id", a.id());
      o.put("hostname", a.hostname());
      o.put("port", a.httpPort());
      o.put("http_address", a.httpPort() > 0 ? a.httpHost() + ":" + a.httpPort() : "");
      o.put("active", a.connected());
      o.put("state", a.state());
      o.put("maintenance", a.maintenance());
      o.put("version", a.version());
      ObjectNode attributes = o.putObject("attributes");
      new TreeMap<>(a.attributes()).forEach(attributes::put);
      o.set("resources", resources(a.total()));
      o.set("used_resources", resources(a.used()));
      o.set("reserved_resources", reserved(a.total()));
      ArrayNode volumes = o.putArray("persistent_volumes");
      a.volumes().forEach(v -> volumes.addObject().put("persistence_id", v.getPersistenceId())
          .put("role", v.getRole()).put("size_mb", v.getSizeMb()));
    }
    return o;
  }

  /** Resources reserved for roles, by role: {@code {"ads": {"cpus": 2}}}. */
  private static ObjectNode reserved(ResourceSet set) {
    Map<String, ResourceSet.Builder> byRole = new TreeMap<>();
    for (Resource r : set.toProto()) {
      if (!r.getRole().equals(ResourceSet.UNRESERVED)) {
        ResourceSet.Builder b = byRole.computeIfAbsent(r.getRole(), k -> ResourceSet.builder());
        if (r.getRangesCount() > 0) {
          b.ranges(r.getName(), r.getRole(), Ranges.fromProto(r.getRangesList()));
        } else {
          b.scalar(r.getName(), r.getRole(), r.getScalar());
        }
      }
    }
    ObjectNode o = Json.mapper().createObjectNode();
    byRole.forEach((role, b) -> o.set(role, resources(b.build())));
    return o;
  }

  private static ObjectNode resources(ResourceSet set) {
    Map<String, Double> scalars = new TreeMap<>();
    Map<String, Ranges> ranges = new TreeMap<>();
    for (Resource r : set.toProto()) {
      if (r.getRangesCount() > 0) {
        ranges.merge(r.getName(), Ranges.fromProto(r.getRangesList()), Ranges::plus);
      } else {
        scalars.merge(r.getName(), r.getScalar(), Double::sum);
      }
    }
    ObjectNode o = Json.mapper().createObjectNode();
    scalars.forEach(o::put);
    ranges.forEach((name, value) -> o.put(name, value.toString()));
    return o;
  }
}
