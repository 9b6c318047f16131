package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.Resource;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic reservations (made through the operator API or by frameworks) and the persistent volumes made from
 * them: per agent, scalar resources moved from unreserved ({@code *}) to a role, and volumes that each hold
 * part of a role's reserved disk. Hard state: {@code /master/reservations/<agentId>}, JSON
 * {@code [{"name": "cpus", "role": "ads", "scalar": 2}, {"volume": "id", "role": "ads", "scalar": 100}]} (a
 * volume's disk is counted in the role's reserved disk as well); an agent with neither has no node. The agent's
 * reported resources never change; the master applies the reservations on top ({@link #apply}) whenever it
 * sets the agent's total. Loop thread only.
 */
final class Reservations {
  static final String ROOT = "/master/reservations";
  private static final Logger log = LoggerFactory.getLogger(Reservations.class);

  /** What one agent holds: reserved scalars (volumes' disk included) and its persistent volumes. */
  record Held(ResourceSet reserved, List<PersistentVolume> volumes) {
    static final Held NONE = new Held(ResourceSet.EMPTY, List.of());

    Held {
      volumes = List.copyOf(volumes);
    }

    boolean isEmpty() {
      return reserved.isEmpty() && volumes.isEmpty();
    }

    /** The disk its volumes take, per role. */
    ResourceSet volumeDisk() {
      ResourceSet.Builder b = ResourceSet.builder();
      volumes.forEach(v -> b.scalar("disk", v.getRole(), v.getSizeMb()));
      return b.build();
    }
  }

  private final Map<String, Held> byAgent = new HashMap<>();

  ResourceSet of(String agentId) {
    return held(agentId).reserved();
  }

  Held held(String agentId) {
    return byAgent.getOrDefault(agentId, Held.NONE);
  }

  List<PersistentVolume> volumesOf(String agentId) {
    return held(agentId).volumes();
  }

  void put(String agentId, Held held) {
    if (held.isEmpty()) {
      byAgent.remove(agentId);
    } else {
      byAgent.put(agentId, held);
    }
  }

  /**
   * The agent's total: what it reports, with this agent's dynamic reservations moved out of {@code *} and the
   * disk of its persistent volumes taken out (volumes are offered as volumes, not as disk).
   */
  ResourceSet apply(String agentId, ResourceSet reported) {
    Held held = held(agentId);
    ResourceSet reserved = held.reserved();
    if (reserved.isEmpty()) {
      return reported;
    }
    return Resources.clampedMinus(moveOut(agentId, reported, reserved), held.volumeDisk());
  }

  private static ResourceSet moveOut(String agentId, ResourceSet reported, ResourceSet reserved) {
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

  static StoreOp op(String agentId, Held held) {
    String path = StorePaths.join(ROOT, StorePaths.segment(agentId));
    if (held.isEmpty()) {
      return StoreOp.delete(path);
    }
    ArrayNode list = Json.mapper().createArrayNode();
    for (Resource r : held.reserved().toProto()) {
      list.addObject().put("name", r.getName()).put("role", r.getRole()).put("scalar", r.getScalar());
    }
    for (PersistentVolume v : held.volumes()) {
      list.addObject().put("volume", v.getPersistenceId()).put("role", v.getRole()).put("scalar", v.getSizeMb());
    }
    return StoreOp.put(path, list.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Blocking read; start-up only. */
  static Map<String, Held> read(Store store) {
    Map<String, Held> out = new HashMap<>();
    for (String child : store.children(ROOT)) {
      store.get(StorePaths.join(ROOT, child)).ifPresent(bytes -> {
        try {
          ResourceSet.Builder b = ResourceSet.builder();
          List<PersistentVolume> volumes = new ArrayList<>();
          for (JsonNode r : Json.mapper().readTree(bytes)) {
            if (r.has("volume")) {
              volumes.add(PersistentVolume.newBuilder().setPersistenceId(r.path("volume").asText())
                  .setRole(r.path("role").asText()).setSizeMb(r.path("scalar").asDouble()).build());
            } else {
              b.scalar(r.path("name").asText(), r.path("role").asText(), r.path("scalar").asDouble());
            }
          }
          out.put(StorePaths.unsegment(child), new Held(b.build(), volumes));
        } catch (IOException | RuntimeException e) {
          log.warn("skipping unreadable reservation node {}: {}", child, e.getMessage());
        }
      });
    }
    return out;
  }
}
