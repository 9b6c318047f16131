package dev.corral.jobs.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.jobs.run.JobHistory;
import dev.corral.jobs.run.JobRun;
import dev.corral.jobs.run.RunState;
import dev.corral.jobs.run.RunTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON of runs and histories: {@code store*} for the store (every field, ISO instants) and {@code api*} for
 * Metronome's API shapes (its {@code 2016-07-15T13:02:59.735+0000} timestamps).
 */
public final class RunCodec {
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private RunCodec() {}

  public static String apiTime(Instant t) {
    return t == null ? null : API_TIME.format(t);
  }

  // ---------------------------------------------------------------- API

  public static ObjectNode apiRun(JobRun r) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("id", r.id()).put("jobId", r.jobId()).put("status", r.status().name())
        .put("createdAt", apiTime(r.createdAt())).put("completedAt", apiTime(r.completedAt()));
    ArrayNode tasks = o.putArray("tasks");
    for (RunTask t : r.tasks()) {
      tasks.addObject().put("id", t.id()).put("status", t.status()).put("startedAt", apiTime(t.startedAt()))
          .put("completedAt", apiTime(t.completedAt()));
    }
    return o;
  }

  public static ObjectNode apiHistory(JobHistory h, boolean withRuns) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("successCount", h.successCount()).put("failureCount", h.failureCount())
        .put("lastSuccessAt", apiTime(h.lastSuccessAt())).put("lastFailureAt", apiTime(h.lastFailureAt()));
    if (withRuns) {
      finished(o.putArray("successfulFinishedRuns"), h.successfulFinishedRuns(), true);
      finished(o.putArray("failedFinishedRuns"), h.failedFinishedRuns(), true);
    }
    return o;
  }

  private static void finished(ArrayNode out, List<JobHistory.FinishedRun> runs, boolean api) {
    for (JobHistory.FinishedRun f : runs) {
      ObjectNode o = out.addObject().put("id", f.id())
          .put("createdAt", api ? apiTime(f.createdAt()) : f.createdAt().toString())
          .put("finishedAt", api ? apiTime(f.finishedAt()) : f.finishedAt().toString());
      f.tasks().forEach(o.putArray("tasks")::add);
    }
  }

  // ---------------------------------------------------------------- store

  public static byte[] storeRun(JobRun r) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("id", r.id()).put("jobId", r.jobId()).put("status", r.status().name())
        .put("createdAt", str(r.createdAt())).put("completedAt", str(r.completedAt()))
        .put("waitingSince", str(r.waitingSince())).put("stopping", r.stopping());
    ArrayNode tasks = o.putArray("tasks");
    for (RunTask t : r.tasks()) {
      tasks.addObject().put("id", t.id()).put("agentId", t.agentId()).put("status", t.status())
          .put("startedAt", str(t.startedAt())).put("completedAt", str(t.completedAt()));
    }
    return bytes(o);
  }

  public static JobRun readRun(byte[] data) {
    JsonNode o = tree(data);
    List<RunTask> tasks = new ArrayList<>();
    for (JsonNode t : o.path("tasks")) {
      tasks.add(new RunTask(t.get("id").asText(), t.path("agentId").asText(), t.path("status").asText(),
          instant(t.get("startedAt")), instant(t.get("completedAt"))));
    }
    return new JobRun(o.get("id").asText(), o.get("jobId").asText(), RunState.valueOf(o.get("status").asText()),
        instant(o.get("createdAt")), instant(o.get("completedAt")), instant(o.get("waitingSince")),
        o.path("stopping").asBoolean(), tasks);
  }

  public static byte[] storeHistory(JobHistory h) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("successCount", h.successCount()).put("failureCount", h.failureCount())
        .put("lastSuccessAt", str(h.lastSuccessAt())).put("lastFailureAt", str(h.lastFailureAt()));
    finished(o.putArray("successfulFinishedRuns"), h.successfulFinishedRuns(), false);
    finished(o.putArray("failedFinishedRuns"), h.failedFinishedRuns(), false);
    return bytes(o);
  }

  public static JobHistory readHistory(byte[] data) {
    JsonNode o = tree(data);
    return new JobHistory(o.path("successCount").asLong(), o.path("failureCount").asLong(),
        instant(o.get("lastSuccessAt")), instant(o.get("lastFailureAt")),
        readFinished(o.path("successfulFinishedRuns")), readFinished(o.path("failedFinishedRuns")));
  }

  private static List<JobHistory.FinishedRun> readFinished(JsonNode list) {
    List<JobHistory.FinishedRun> out = new ArrayList<>();
    for (JsonNode f : list) {
      List<String> tasks = new ArrayList<>();
      f.path("tasks").forEach(t -> tasks.add(t.asText()));
      out.add(new JobHistory.FinishedRun(f.get("id").asText(), instant(f.get("createdAt")),
          instant(f.get("finishedAt")), tasks));
    }
    return out;
  }

  static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asText());
  }

  static byte[] bytes(JsonNode o) {
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(byte[] data) {
    try {
      return Json.mapper().readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
