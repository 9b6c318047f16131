package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a submitted definition into the one form Corral stores: canonical id, {@code portDefinitions} only
 * (the legacy {@code ports} list converted), Marathon 1.5's default port, assigned service ports and the
 * version stamps. Every method returns a new tree and leaves its argument untouched.
 */
public final class AppNormalizer {
  /** Service ports for port definitions with port 0 come from this range, like Marathon's local_port_min/max. */
  public static final int SERVICE_PORT_MIN = 10000;
  public static final int SERVICE_PORT_MAX = 20000;

  /** Fields that only GET responses carry; a client that sends a GET response back must not store them. */
  private static final Set<String> READ_ONLY = Set.of("version", "versionInfo", "tasks", "tasksStaged",
      "tasksRunning", "tasksHealthy", "tasksUnhealthy", "deployments", "lastTaskFailure", "waiting",
      "taskStats", "readinessCheckResults");

  private AppNormalizer() {}

  /**
   * Drops null-valued fields (Marathon reads null as "not given") and output-only fields, and translates
   * Marathon's networking fields from before 1.5 ({@link DeprecatedNetworking}).
   */
  public static ObjectNode clean(ObjectNode body) {
    ObjectNode out = body.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = out.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull() || READ_ONLY.contains(e.getKey())) {
        it.remove();
      }
    }
    return DeprecatedNetworking.translate(out);
  }

  /** The stored form of a valid definition whose canonical id is {@code id}. */
  public static ObjectNode normalize(ObjectNode valid, String id) {
    ObjectNode out = valid.deepCopy();
    out.put("id", id);
    JsonNode deps = out.get("dependencies");
    if (deps != null && deps.isArray()) {
      // Stored absolute, like Marathon shows them: a move of the group must not change what they mean.
      ArrayNode absolute = out.putArray("dependencies");
      deps.forEach(d -> absolute.add(AppIds.resolve(AppIds.parent(id), d.asText())));
    }
    JsonNode ports = out.remove("ports");
    if (!out.has("portDefinitions")) {
      if (ports != null && ports.isArray()) {
        ArrayNode defs = out.putArray("portDefinitions");
        ports.forEach(p -> defs.addObject().put("port", p.asInt()).put("protocol", "tcp"));
      } else if (hostNetworking(out)) {
        // Marathon 1.5 (AppNormalization.DefaultPortDefinitions): one dynamic tcp port when none is declared.
        out.putArray("portDefinitions").addObject().put("port", 0).put("protocol", "tcp");
      }
    }
    JsonNode defs = out.get("portDefinitions");
    if (defs != null && defs.isArray()) {
      for (JsonNode d : defs) {
        ObjectNode def = (ObjectNode) d;
        if (!def.hasNonNull("port")) {
          def.put("port", 0);
        }
        if (!def.hasNonNull("protocol")) {
          def.put("protocol", "tcp");
        }
      }
    }
    return out;
  }

  /** Whether the app uses the host's network (the only mode where port definitions apply). */
  public static boolean hostNetworking(ObjectNode app) {
    if (app.hasNonNull("ipAddress")) {
      return false;
    }
    JsonNode networks = app.get("networks");
    if (networks != null && networks.isArray()) {
      for (JsonNode n : networks) {
        if (!"host".equals(n.path("mode").asText("container"))) {
          return false;
        }
      }
    }
    String dockerNetwork = app.path("container").path("docker").path("network").asText("HOST");
    return dockerNetwork.equals("HOST");
  }

  /**
   * Replaces port 0 in the port definitions by a service port that no other app holds ({@code taken}).
   * Where the app had a service port at the same position before ({@code previous}), it keeps it, so that an
   * update does not move the app's load-balancer ports.
   *
   * @throws IllegalStateException when the service port range is exhausted
   */
  public static ObjectNode assignServicePorts(ObjectNode app, Set<Integer> taken, List<PortDefinition> previous) {
    ObjectNode out = app.deepCopy();
    JsonNode defs = out.get("portDefinitions");
    if (defs == null || !defs.isArray()) {
      return out;
    }
    // Ports of this definition; `taken` (other apps' ports) is only asked, never copied: it can be large.
    Set<Integer> used = new HashSet<>();
    for (JsonNode d : defs) {
      used.add(d.path("port").asInt(0));
    }
    List<Integer> reusable = new ArrayList<>();
    for (PortDefinition p : previous) {
      reusable.add(p.port());
    }
    int next = SERVICE_PORT_MIN;
    for (int i = 0; i < defs.size(); i++) {
      ObjectNode def = (ObjectNode) defs.get(i);
      if (def.path("port").asInt(0) != 0) {
        continue;
      }
      Integer keep = i < reusable.size() ? reusable.get(i) : null;
      if (keep != null && keep != 0 && !used.contains(keep) && !taken.contains(keep)) {
        def.put("port", keep);
        used.add(keep);
        continue;
      }
      while (next <= SERVICE_PORT_MAX && (used.contains(next) || taken.contains(next))) {
        next++;
      }
      if (next > SERVICE_PORT_MAX) {
        throw new IllegalStateException("no free service port left in " + SERVICE_PORT_MIN + "-" + SERVICE_PORT_MAX);
      }
      def.put("port", next);
      used.add(next);
    }
    return out;
  }

  /** Sets {@code version} and {@code versionInfo}. */
  public static ObjectNode stamp(ObjectNode app, String version, String lastScalingAt, String lastConfigChangeAt) {
    ObjectNode out = app.deepCopy();
    out.put("version", version);
    ObjectNode info = out.putObject("versionInfo");
    info.put("lastScalingAt", lastScalingAt);
    info.put("lastConfigChangeAt", lastConfigChangeAt);
    return out;
  }

  /**
   * Marathon 1.5's partial update: the body's fields replace the current ones; the rest stay. Giving one of
   * two mutually exclusive fields drops the other from the current definition ({@code cmd}/{@code args},
   * {@code ports}/{@code portDefinitions}).
   */
  public static ObjectNode merge(ObjectNode current, ObjectNode cleanBody) {
    ObjectNode out = current.deepCopy();
    out.remove(List.of("version", "versionInfo"));
    if (cleanBody.has("cmd")) {
      out.remove("args");
    }
    if (cleanBody.has("args")) {
      out.remove("cmd");
    }
    if (cleanBody.has("ports") || cleanBody.has("portDefinitions")) {
      out.remove(List.of("ports", "portDefinitions"));
    }
    cleanBody.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
    return out;
  }
}
