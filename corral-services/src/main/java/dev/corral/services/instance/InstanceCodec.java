package dev.corral.services.instance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.app.Timestamps;
import java.io.ByteArrayOutputStream;
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
  /**
   * One buffer per thread, kept between calls: a fresh one per document, grown and then copied, was a tenth
   * of all the bytes allocated while 100,000 tasks were placed. Only the document's own copy is allocated now.
   */
  private static final ThreadLocal<ByteArrayOutputStream> BUFFERS =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(2048));

  private InstanceCodec() {}

  /**
   * Written field by field with a generator rather than built as a tree first: every placement and status
   * update writes one, and the tree's maps were most of the cost while 100,000 tasks were placed.
   */
  public static byte[] toBytes(Instance i) {
    ByteArrayOutputStream bytes = BUFFERS.get();
    bytes.reset();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("id", i.id());
      g.writeStringField("appId", i.appId());
      g.writeStringField("configVersion", i.configVersion());
      g.writeStringField("goal", i.goal().name());
      g.writeStringField("state", i.state().name());
      g.writeStringField("createdAt", Timestamps.iso(i.createdAt()));
      writeTime(g, "unreachableSince", i.unreachableSince());
      if (i.task() != null) {
        g.writeFieldName("task");
        writeTask(g, i.task());
      }
      if (i.reservation() != null) {
        g.writeFieldName("reservation");
        writeReservation(g, i.reservation());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeReservation(JsonGenerator g, Reservation r) throws IOException {
    g.writeStartObject();
    g.writeStringField("agentId", r.agentId());
    g.writeStringField("host", r.host());
    g.writeObjectFieldStart("attributes");
    for (Map.Entry<String, String> a : r.attributes().entrySet()) {
      g.writeStringField(a.getKey(), a.getValue());
    }
    g.writeEndObject();
    g.writeStringField("role", r.role());
    g.writeObjectFieldStart("scalars");
    for (Map.Entry<String, Double> e : r.scalars().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("volumes");
    for (Reservation.Volume v : r.volumes()) {
      g.writeStartObject();
      g.writeStringField("persistenceId", v.persistenceId());
      g.writeStringField("containerPath", v.containerPath());
      g.writeNumberField("size", v.sizeMb());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("madeBy", r.madeBy());
    g.writeEndObject();
  }

  private static Reservation reservationFromJson(JsonNode r) {
    if (r == null || !r.isObject()) {
      return null;
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    r.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> scalars = new LinkedHashMap<>();
    r.path("scalars").fields().forEachRemaining(e -> scalars.put(e.getKey(), e.getValue().asDouble()));
    List<Reservation.Volume> volumes = new ArrayList<>();
    r.path("volumes").forEach(v -> volumes.add(new Reservation.Volume(v.path("persistenceId").asText(),
        v.path("containerPath").asText(), v.path("size").asDouble())));
    return new Reservation(r.path("agentId").asText(), r.path("host").asText(), attrs, r.path("role").asText(),
        scalars, volumes, r.path("madeBy").asText(""));
  }

  private static void writeTask(JsonGenerator g, LaunchedTask t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.taskId());
    g.writeStringField("agentId", t.agentId());
    g.writeStringField("host", t.host());
    writePorts(g, t.hostPorts());
    g.writeObjectFieldStart("attributes");
    for (Map.Entry<String, String> a : t.attributes().entrySet()) {
      g.writeStringField(a.getKey(), a.getValue());
    }
    g.writeEndObject();
    g.writeStringField("appVersion", t.appVersion());
    g.writeStringField("stagedAt", Timestamps.iso(t.stagedAt()));
    writeTime(g, "startedAt", t.startedAt());
    g.writeStringField("lastState", t.lastState().name());
    if (!t.message().isEmpty()) {
      g.writeStringField("message", t.message());
    }
    writeHealth(g, t.health());
    writeTexts(g, "ipAddresses", t.ipAddresses());
    if (t.isGroup()) {
      g.writeArrayFieldStart("containers");
      for (ContainerTask c : t.containers()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("taskId", c.taskId());
        g.writeStringField("state", c.state().name());
        writePorts(g, c.hostPorts());
        if (!c.message().isEmpty()) {
          g.writeStringField("message", c.message());
        }
        writeTime(g, "startedAt", c.startedAt());
        writeTime(g, "changedAt", c.changedAt());
        writeHealth(g, c.health());
        writeTexts(g, "ipAddresses", c.ipAddresses());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Nothing for {@link TaskHealth#NONE}. */
  private static void writeHealth(JsonGenerator g, TaskHealth h) throws IOException {
    if (h.equals(TaskHealth.NONE)) {
      return;
    }
    g.writeObjectFieldStart("health");
    if (h.healthy() != null) {
      g.writeBooleanField("healthy", h.healthy());
    }
    if (h.ready() != null) {
      g.writeBooleanField("ready", h.ready());
    }
    g.writeArrayFieldStart("results");
    for (HealthResult r : h.results()) {
      g.writeStartObject();
      g.writeNumberField("index", r.index());
      g.writeBooleanField("alive", r.alive());
      g.writeNumberField("consecutiveFailures", r.consecutiveFailures());
      writeTime(g, "firstSuccess", r.firstSuccess());
      writeTime(g, "lastSuccess", r.lastSuccess());
      writeTime(g, "lastFailure", r.lastFailure());
      if (!r.lastFailureCause().isEmpty()) {
        g.writeStringField("lastFailureCause", r.lastFailureCause());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writePorts(JsonGenerator g, List<Integer> ports) throws IOException {
    g.writeArrayFieldStart("ports");
    for (int port : ports) {
      g.writeNumber(port);
    }
    g.writeEndArray();
  }

  /** Nothing for an empty list (instances stored before the field existed read the same). */
  private static void writeTexts(JsonGenerator g, String field, List<String> texts) throws IOException {
    if (texts.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String text : texts) {
      g.writeString(text);
    }
    g.writeEndArray();
  }

  private static void writeTime(JsonGenerator g, String field, Instant t) throws IOException {
    if (t != null) {
      g.writeStringField(field, Timestamps.iso(t));
    }
  }

  /** Reads what {@link #writeHealth} wrote; absent (instances stored before health existed) is NONE. */
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
        n.hasNonNull("unreachableSince") ? Instant.parse(n.get("unreachableSince").asText()) : null,
        reservationFromJson(n.get("reservation")));
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
