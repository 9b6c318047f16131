package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic reservations made through the operator API: per agent, scalar resources moved from unreserved
 * ({@code *}) to a role. Hard state: {@code /master/reservations/<agentId>}, JSON
 * {@code [{"name": "cpus", "role": "ads", "scalar": 2}]}; an agent with none has no node. The agent's
 * reported resources never change; the master applies the reservations on top ({@link #apply}) whenever it
 * sets the agent's total. Loop thread only.
 */
final class Reservations {
  static final String ROOT = "/master/reservations";
  private static final Logger log = LoggerFactory.getLogger(Reservations.class);

  private final Map<String, ResourceSet> byAgent = new HashMap<>();

  ResourceSet of(String agentId) {
    return byAgent.getOrDefault(agentId, ResourceSet.EMPTY);
  }

  void put(String agentId, ResourceSet reserved) {
    if (reserved.isEmpty()) {
      byAgent.remove(agentId);
    } else {
      byAgent.put(agentId, reserved);
    }
  }

  /** The agent's total: what it reports, with this agent's dynamic reservations moved out of {@code *}. */
  ResourceSet apply(String agentId, ResourceSet reported) {
    ResourceSet reserved = of(agentId);
    if (reserved.isEmpty()) {
      return reported;
    }
    ResourceSet.Builder unreservedPart = ResourceSet.builder();
    for (Resource r : reserved.toProto()) {
      double have = reported.scalar(r.getName(), ResourceSet.UNRESERVED);
      double take = Math.min(have, r.getScalar());
      if (take + 1e-6 < r.getScalar()) {
        log.warn("agent {} reports {} {} unreserved, less than the {} reserved for role {}; reserving what there is",
            agentId, have, r.getName(), r.getScalar(), r.getRole());
      }
      if (take > 0) {
        unreservedPart.scalar(r.getName(), ResourceSet.UNRESERVED, take);
      }
    }
    ResourceSet moved = unreservedPart.build();
    ResourceSet.Builder roles = ResourceSet.builder();
    for (Resource r : reserved.toProto()) {
      double take = Math.min(reported.scalar(r.getName(), ResourceSet.UNRESERVED), r.getScalar());
      if (take > 0) {
        roles.scalar(r.getName(), r.getRole(), take);
      }
    }
    return reported.minus(moved).plus(roles.build());
  }

  static StoreOp op(String agentId, ResourceSet reserved) {
    String path = StorePaths.join(ROOT, StorePaths.segment(agentId));
    if (reserved.isEmpty()) {
      return StoreOp.delete(path);
    }
    ArrayNode list = Json.mapper().createArrayNode();
    for (Resource r : reserved.toProto()) {
      list.addObject().put("name", r.getName()).put("role", r.getRole()).put("scalar", r.getScalar());
    }
    return StoreOp.put(path, list.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Blocking read; start-up only. */
  static Map<String, ResourceSet> read(Store store) {
    Map<String, ResourceSet> out = new HashMap<>();
    for (String child : store.children(ROOT)) {
      store.get(StorePaths.join(ROOT, child)).ifPresent(bytes -> {
        try {
          ResourceSet.Builder b = ResourceSet.builder();
          for (JsonNode r : Json.mapper().readTree(bytes)) {
            b.scalar(r.path("name").asText(), r.path("role").asText(), r.path("scalar").asDouble());
          }
          out.put(StorePaths.unsegment(child), b.build());
        } catch (IOException | RuntimeException e) {
          log.warn("skipping unreadable reservation node {}: {}", child, e.getMessage());
        }
      });
    }
    return out;
  }
}
