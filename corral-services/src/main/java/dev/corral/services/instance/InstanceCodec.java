package dev.corral.services.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of instances and task failures: small JSON documents, one store node each. Unknown fields
 * are ignored on read, so a newer writer's additions do not break an older reader; a missing field takes a
 * safe default (an unknown state reads as UNKNOWN, which is terminal and makes the instance relaunch).
 */
public final class InstanceCodec {
  private InstanceCodec() {}

  public static byte[] toBytes(Instance i) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", i.id());
    n.put("appId", i.appId());
    n.put("configVersion", i.configVersion());
    n.put("goal", i.goal().name());
    n.put("state", i.state().name());
    n.put("createdAt", i.createdAt().toString());
    if (i.unreachableSince() != null) {
      n.put("unreachableSince", i.unreachableSince().toString());
    }
    if (i.task() != null) {
      LaunchedTask t = i.task();
      ObjectNode tn = n.putObject("task");
      tn.put("id", t.taskId());
      tn.put("agentId", t.agentId());
      tn.put("host", t.host());
      ArrayNode ports = tn.putArray("ports");
      t.hostPorts().forEach(ports::add);
      ObjectNode attrs = tn.putObject("attributes");
      t.attributes().forEach(attrs::put);
      tn.put("appVersion", t.appVersion());
      tn.put("stagedAt", t.stagedAt().toString());
      if (t.startedAt() != null) {
        tn.put("startedAt", t.startedAt().toString());
      }
      tn.put("lastState", t.lastState().name());
      if (!t.message().isEmpty()) {
        tn.put("message", t.message());
      }
      if (!t.health().equals(TaskHealth.NONE)) {
        tn.set("health", healthToJson(t.health()));
      }
      if (!t.ipAddresses().isEmpty()) {
        ArrayNode ips = tn.putArray("ipAddresses");
        t.ipAddresses().forEach(ips::add);
      }
      if (t.isGroup()) {
        ArrayNode containers = tn.putArray("containers");
        for (ContainerTask c : t.containers()) {
          ObjectNode cn = containers.addObject();
          cn.put("name", c.name()).put("taskId", c.taskId()).put("state", c.state().name());
          ArrayNode cp = cn.putArray("ports");
          c.hostPorts().forEach(cp::add);
          if (!c.message().isEmpty()) {
            cn.put("message", c.message());
          }
          putTime(cn, "startedAt", c.startedAt());
          putTime(cn, "changedAt", c.changedAt());
          if (!c.health().equals(TaskHealth.NONE)) {
            cn.set("health", healthToJson(c.health()));
          }
          if (!c.ipAddresses().isEmpty()) {
            ArrayNode ips = cn.putArray("ipAddresses");
            c.ipAddresses().forEach(ips::add);
          }
        }
      }
    }
    return write(n);
  }

  private static ObjectNode healthToJson(TaskHealth h) {
    ObjectNode n = Json.mapper().createObjectNode();
    if (h.healthy() != null) {
      n.put("healthy", h.healthy());
    }
    if (h.ready() != null) {
      n.put("ready", h.ready());
    }
    ArrayNode results = n.putArray("results");
    for (HealthResult r : h.results()) {
      ObjectNode rn = results.addObject();
      rn.put("index", r.index());
      rn.put("alive", r.alive());
      rn.put("consecutiveFailures", r.consecutiveFailures());
      putTime(rn, "firstSuccess", r.firstSuccess());
      putTime(rn, "lastSuccess", r.lastSuccess());
      putTime(rn, "lastFailure", r.lastFailure());
      if (!r.lastFailureCause().isEmpty()) {
        rn.put("lastFailureCause", r.lastFailureCause());
      }
    }
    return n;
  }

  /** Reads what {@link #healthToJson} wrote; absent (instances stored before health existed) is NONE. */
  private static TaskHealth healthFromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      return TaskHealth.NONE;
    }
    List<HealthResult> results = new ArrayList<>();
    for (JsonNode rn : n.path("results")) {
      results.add(new HealthResult(rn.path("index").asInt(), rn.path("alive").asBoolean(),
          rn.path("consecutiveFailures").asInt(), time(rn, "firstSuccess"), time(rn, "lastSuccess"),
          time(rn, "lastFailure"), rn.path("lastFailureCause").asText("")));
    }
    Boolean healthy = n.path("healthy").isBoolean() ? n.get("healthy").asBoolean() : null;
    Boolean ready = n.path("ready").isBoolean() ? n.get("ready").asBoolean() : null;
    return new TaskHealth(healthy, ready, results);
  }

  /** The strings of an array; empty when absent (instances stored before the field existed). */
  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static List<ContainerTask> containersFromJson(JsonNode array) {
    List<ContainerTask> out = new ArrayList<>();
    if (array == null || !array.isArray()) {
      return out;
    }
    for (JsonNode cn : array) {
      List<Integer> ports = new ArrayList<>();
      cn.path("ports").forEach(p -> ports.add(p.asInt()));
      out.add(new ContainerTask(cn.path("name").asText(), cn.path("taskId").asText(), ports,
          taskState(cn.path("state").asText()), cn.path("message").asText(""), time(cn, "startedAt"),
          time(cn, "changedAt"), healthFromJson(cn.get("health")), texts(cn.path("ipAddresses"))));
    }
    return out;
  }

  private static void putTime(ObjectNode n, String field, Instant t) {
    if (t != null) {
      n.put(field, t.toString());
    }
  }

  private static Instant time(JsonNode n, String field) {
    return n.hasNonNull(field) ? Instant.parse(n.get(field).asText()) : null;
  }

  public static Instance fromBytes(byte[] data) {
    JsonNode n = read(data);
    LaunchedTask task = null;
    JsonNode tn = n.get("task");
    if (tn != null && tn.isObject()) {
      List<Integer> ports = new ArrayList<>();
      tn.path("ports").forEach(p -> ports.add(p.asInt()));
      Map<String, String> attrs = new LinkedHashMap<>();
      tn.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
      task = new LaunchedTask(tn.path("id").asText(), tn.path("agentId").asText(), tn.path("host").asText(),
          ports, attrs, tn.path("appVersion").asText(""), Instant.parse(tn.path("stagedAt").asText()),
          tn.hasNonNull("startedAt") ? Instant.parse(tn.get("startedAt").asText()) : null,
          taskState(tn.path("lastState").asText()), tn.path("message").asText(""), healthFromJson(tn.get("health")),
          texts(tn.path("ipAddresses")), containersFromJson(tn.get("containers")));
    }
    InstanceState state = enumOr(InstanceState.class, n.path("state").asText(), InstanceState.UNKNOWN);
    if (state == InstanceState.SCHEDULED && task != null) {
      task = null;
    }
    if (state != InstanceState.SCHEDULED && task == null) {
      state = InstanceState.SCHEDULED;
    }
    return new Instance(n.path("id").asText(), n.path("appId").asText(), n.path("configVersion").asText(""),
        enumOr(Goal.class, n.path("goal").asText(), Goal.RUNNING), state,
        Instant.parse(n.path("createdAt").asText(Instant.EPOCH.toString())), task,
        n.hasNonNull("unreachableSince") ? Instant.parse(n.get("unreachableSince").asText()) : null);
  }

  public static byte[] failureToBytes(TaskFailure f) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("appId", f.appId());
    n.put("host", f.host());
    n.put("message", f.message());
    n.put("state", f.state());
    n.put("taskId", f.taskId());
    n.put("timestamp", f.timestamp().toString());
    n.put("version", f.version());
    n.put("slaveId", f.slaveId());
    return write(n);
  }

  public static TaskFailure failureFromBytes(byte[] data) {
    JsonNode n = read(data);
    return new TaskFailure(n.path("appId").asText(), n.path("host").asText(), n.path("message").asText(),
        n.path("state").asText(), n.path("taskId").asText(), Instant.parse(n.path("timestamp").asText()),
        n.path("version").asText(), n.path("slaveId").asText());
  }

  private static TaskState taskState(String name) {
    return enumOr(TaskState.class, name, TaskState.TASK_STAGING);
  }

  private static <E extends Enum<E>> E enumOr(Class<E> type, String name, E fallback) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  private static byte[] write(ObjectNode n) {
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] data) {
    try {
      return Json.mapper().readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException("stored instance is not valid JSON", e);
    }
  }
}
