package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role weights and quota. Hard state: one node per configured role at {@code /master/roles/<role>}, JSON
 * {@code {"weight": 2, "guarantee": {"cpus": 2}, "limit": {"cpus": 4}}}; a role back to weight 1 with no
 * quota has its node deleted. Loop thread only; {@link RoleSettings} values are immutable.
 */
final class Roles {
  static final String ROOT = "/master/roles";
  private static final Logger log = LoggerFactory.getLogger(Roles.class);

  private final Map<String, RoleSettings> settings = new TreeMap<>();

  Map<String, RoleSettings> all() {
    return settings;
  }

  RoleSettings get(String role) {
    return settings.getOrDefault(role, RoleSettings.DEFAULT);
  }

  void put(String role, RoleSettings s) {
    if (s.isDefault()) {
      settings.remove(role);
    } else {
      settings.put(role, s);
    }
  }

  static StoreOp op(String role, RoleSettings s) {
    String path = StorePaths.join(ROOT, StorePaths.segment(role));
    if (s.isDefault()) {
      return StoreOp.delete(path);
    }
    ObjectNode node = Json.mapper().createObjectNode().put("weight", s.weight());
    if (s.guarantee() != null) {
      node.set("guarantee", RoleSettings.json(s.guarantee()));
    }
    if (s.limit() != null) {
      node.set("limit", RoleSettings.json(s.limit()));
    }
    return StoreOp.put(path, node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Blocking read; start-up only. */
  static Map<String, RoleSettings> read(Store store) {
    Map<String, RoleSettings> out = new HashMap<>();
    for (String child : store.children(ROOT)) {
      store.get(StorePaths.join(ROOT, child)).ifPresent(bytes -> {
        try {
          JsonNode n = Json.mapper().readTree(bytes);
          out.put(StorePaths.unsegment(child), new RoleSettings(n.path("weight").asDouble(1.0),
              n.has("guarantee") ? RoleSettings.scalars(n.get("guarantee"), "guarantee") : null,
              n.has("limit") ? RoleSettings.scalars(n.get("limit"), "limit") : null));
        } catch (IOException | RuntimeException e) {
          log.warn("skipping unreadable role node {}: {}", child, e.getMessage());
        }
      });
    }
    return out;
  }

  /** The policy of one allocation pass: settings plus what each role holds, summed over its frameworks. */
  RolePolicy policy(Collection<Framework> frameworks) {
    if (settings.isEmpty()) {
      return RolePolicy.NONE;
    }
    Map<String, Double> weights = new HashMap<>();
    Map<String, Scalars> guarantees = new HashMap<>();
    Map<String, Scalars> limits = new HashMap<>();
    settings.forEach((role, s) -> {
      weights.put(role, s.weight());
      if (s.guarantee() != null) {
        guarantees.put(role, s.guarantee());
      }
      if (s.limit() != null) {
        limits.put(role, s.limit());
      }
    });
    Map<String, Scalars> held = new HashMap<>();
    for (Framework f : frameworks) {
      if (settings.containsKey(f.role())) {
        held.merge(f.role(), f.allocated.plus(f.offered), Scalars::plus);
      }
    }
    return new RolePolicy(weights, guarantees, limits, held);
  }
}
