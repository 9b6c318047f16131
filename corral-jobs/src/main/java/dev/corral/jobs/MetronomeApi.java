package dev.corral.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.jobs.engine.CommandException;
import dev.corral.jobs.engine.JobsView;
import dev.corral.jobs.engine.RunCodec;
import dev.corral.jobs.run.JobHistory;
import dev.corral.jobs.run.JobRun;
import dev.corral.jobs.run.RunState;
import dev.corral.jobs.spec.InvalidException;
import dev.corral.jobs.spec.JobJson;
import dev.corral.jobs.spec.JobSpec;
import dev.corral.jobs.spec.ScheduleJson;
import dev.corral.jobs.spec.ScheduleSpec;
import dev.corral.jobs.spec.Violation;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Metronome's REST API v1 over a {@link JobScheduler}: jobs, schedules, runs and the queue, with Metronome's
 * field names and error shapes (422 {@code {"message", "details": [{"path", "errors"}]}}).
 */
public final class MetronomeApi {
  private final JobScheduler scheduler;

  public MetronomeApi(JobScheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** A reply: status and JSON body. */
  private record Reply(int status, JsonNode body) {
    static Reply ok(JsonNode body) {
      return new Reply(200, body);
    }
  }

  public void install(JavalinConfig config) {
    var routes = config.routes;
    routes.get("/v1/jobs", ctx -> respond(ctx, () -> view(v -> Reply.ok(listJobs(v, embeds(ctx))))));
    routes.post("/v1/jobs", ctx -> respond(ctx, () -> createJob(ctx)));
    routes.get("/v1/jobs/{id}", ctx -> respond(ctx, () -> view(v -> Reply.ok(
        jobJson(v, job(v, ctx.pathParam("id")), embeds(ctx))))));
    routes.put("/v1/jobs/{id}", ctx -> respond(ctx, () -> updateJob(ctx)));
    routes.delete("/v1/jobs/{id}", ctx -> respond(ctx, () -> scheduler.onLoop(e -> e.deleteJob(ctx.pathParam("id"),
        "true".equals(ctx.queryParam("stopCurrentJobRuns")))).thenApply(j -> Reply.ok(JobJson.render(j)))));
    routes.get("/v1/jobs/{id}/schedules", ctx -> respond(ctx, () -> view(v -> {
      job(v, ctx.pathParam("id"));
      ArrayNode out = Json.mapper().createArrayNode();
      v.schedulesOf(ctx.pathParam("id")).forEach(s -> out.add(scheduleJson(s)));
      return Reply.ok(out);
    })));
    routes.post("/v1/jobs/{id}/schedules", ctx -> respond(ctx, () -> {
      ScheduleSpec s = ScheduleJson.parse(body(ctx));
      return scheduler.onLoop(e -> e.addSchedule(ctx.pathParam("id"), s))
          .thenApply(x -> new Reply(201, ScheduleJson.render(x)));
    }));
    routes.get("/v1/jobs/{id}/schedules/{sid}", ctx -> respond(ctx, () -> view(v -> {
      job(v, ctx.pathParam("id"));
      return v.schedulesOf(ctx.pathParam("id")).stream().filter(s -> s.spec().id().equals(ctx.pathParam("sid")))
          .findFirst().map(s -> Reply.ok(scheduleJson(s)))
          .orElseThrow(() -> CommandException.notFound("Schedule '" + ctx.pathParam("sid") + "' does not exist"));
    })));
    routes.put("/v1/jobs/{id}/schedules/{sid}", ctx -> respond(ctx, () -> {
      JsonNode body = body(ctx);
      if (body.isObject() && !body.has("id")) {
        ((ObjectNode) body).put("id", ctx.pathParam("sid"));
      }
      ScheduleSpec s = ScheduleJson.parse(body);
      if (!s.id().equals(ctx.pathParam("sid"))) {
        throw new InvalidException(List.of(new Violation("/id", "must be the schedule id of the path")));
      }
      return scheduler.onLoop(e -> e.replaceSchedule(ctx.pathParam("id"), s))
          .thenApply(x -> Reply.ok(ScheduleJson.render(x)));
    }));
    routes.delete("/v1/jobs/{id}/schedules/{sid}", ctx -> respond(ctx, () -> scheduler.onLoop(
        e -> e.deleteSchedule(ctx.pathParam("id"), ctx.pathParam("sid"))).thenApply(x -> Reply.ok(
        ScheduleJson.render(x)))));
    routes.get("/v1/jobs/{id}/runs", ctx -> respond(ctx, () -> view(v -> {
      job(v, ctx.pathParam("id"));
      ArrayNode out = Json.mapper().createArrayNode();
      v.runsOf(ctx.pathParam("id")).forEach(r -> out.add(RunCodec.apiRun(r)));
      return Reply.ok(out);
    })));
    routes.post("/v1/jobs/{id}/runs", ctx -> respond(ctx, () -> scheduler.onLoop(
        e -> e.startRun(ctx.pathParam("id"))).thenApply(r -> new Reply(201, RunCodec.apiRun(r)))));
    routes.get("/v1/jobs/{id}/runs/{rid}", ctx -> respond(ctx, () -> view(v -> {
      job(v, ctx.pathParam("id"));
      return v.runsOf(ctx.pathParam("id")).stream().filter(r -> r.id().equals(ctx.pathParam("rid"))).findFirst()
          .map(r -> Reply.ok(RunCodec.apiRun(r)))
          .orElseThrow(() -> CommandException.notFound("Run '" + ctx.pathParam("rid") + "' does not exist"));
    })));
    routes.post("/v1/jobs/{id}/runs/{rid}/actions/stop", ctx -> respond(ctx, () -> scheduler.onLoop(
        e -> e.stopRun(ctx.pathParam("id"), ctx.pathParam("rid"))).thenApply(r -> Reply.ok(RunCodec.apiRun(r)))));
    routes.get("/v1/queue", ctx -> respond(ctx, () -> view(v -> Reply.ok(queue(v)))));
  }

  private CompletableFuture<Reply> createJob(Context ctx) {
    JobJson.Parsed p = JobJson.parse(body(ctx));
    return scheduler.onLoop(e -> e.createJob(p.job(), p.schedules()))
        .thenApply(j -> new Reply(201, JobJson.render(j)));
  }

  private CompletableFuture<Reply> updateJob(Context ctx) {
    JsonNode body = body(ctx);
    if (body.isObject() && !body.has("id")) {
      ((ObjectNode) body).put("id", ctx.pathParam("id"));
    }
    JobJson.Parsed p = JobJson.parse(body);
    if (!p.job().id().equals(ctx.pathParam("id"))) {
      throw new InvalidException(List.of(new Violation("/id", "must be the job id of the path")));
    }
    return scheduler.onLoop(e -> e.updateJob(p.job())).thenApply(j -> Reply.ok(JobJson.render(j)));
  }

  // ---------------------------------------------------------------- rendering

  private static Set<String> embeds(Context ctx) {
    Set<String> out = new HashSet<>();
    for (String e : ctx.queryParams("embed")) {
      for (String part : e.split(",")) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static ArrayNode listJobs(JobsView v, Set<String> embeds) {
    ArrayNode out = Json.mapper().createArrayNode();
    v.jobs().values().stream().sorted((a, b) -> a.id().compareTo(b.id()))
        .forEach(j -> out.add(jobJson(v, j, embeds)));
    return out;
  }

  private static ObjectNode jobJson(JobsView v, JobSpec job, Set<String> embeds) {
    ObjectNode o = JobJson.render(job);
    if (embeds.contains("activeRuns")) {
      ArrayNode runs = o.putArray("activeRuns");
      v.runsOf(job.id()).forEach(r -> runs.add(RunCodec.apiRun(r)));
    }
    JobHistory h = v.historyOf(job.id());
    if (embeds.contains("history")) {
      o.set("history", RunCodec.apiHistory(h, true));
    }
    if (embeds.contains("historySummary")) {
      o.set("historySummary", RunCodec.apiHistory(h, false));
    }
    if (embeds.contains("schedules")) {
      ArrayNode s = o.putArray("schedules");
      v.schedulesOf(job.id()).forEach(x -> s.add(scheduleJson(x)));
    }
    return o;
  }

  private static ObjectNode scheduleJson(JobsView.Schedule s) {
    ObjectNode o = ScheduleJson.render(s.spec());
    if (s.nextRunAt() != null) {
      o.put("nextRunAt", RunCodec.apiTime(s.nextRunAt()));
    }
    return o;
  }

  private static ArrayNode queue(JobsView v) {
    Map<String, ArrayNode> byJob = new LinkedHashMap<>();
    ArrayNode out = Json.mapper().createArrayNode();
    v.runs().values().stream().flatMap(List::stream).filter(r -> r.status() == RunState.INITIAL)
        .sorted((a, b) -> a.createdAt().compareTo(b.createdAt()))
        .forEach((JobRun r) -> byJob.computeIfAbsent(r.jobId(), id -> {
          ObjectNode entry = out.addObject().put("jobId", id);
          return entry.putArray("runs");
        }).addObject().put("runId", r.id()));
    return out;
  }

  private static JobSpec job(JobsView v, String id) {
    JobSpec j = v.jobs().get(id);
    if (j == null) {
      throw CommandException.notFound("Job '" + id + "' does not exist");
    }
    return j;
  }

  // ---------------------------------------------------------------- plumbing

  private CompletableFuture<Reply> view(Function<JobsView, Reply> render) {
    return scheduler.view().thenApply(render);
  }

  private static JsonNode body(Context ctx) {
    try {
      JsonNode n = Json.mapper().readTree(ctx.body());
      if (n == null || n.isMissingNode()) {
        throw new InvalidException(List.of(new Violation("/", "a JSON body is required")));
      }
      return n;
    } catch (IOException e) {
      throw new BadJson(e.getMessage());
    }
  }

  private static final class BadJson extends RuntimeException {
    BadJson(String message) {
      super(message, null, false, false);
    }
  }

  private interface Work {
    CompletableFuture<Reply> get();
  }

  private static void respond(Context ctx, Work work) {
    CompletableFuture<Reply> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Reply> pending = f;
    ctx.future(() -> pending.handle((reply, err) -> {
      Reply r = err == null ? reply : error(err instanceof CompletionException && err.getCause() != null
          ? err.getCause() : err);
      ctx.status(r.status()).contentType("application/json").result(r.body().toString());
      return null;
    }));
  }

  private static Reply error(Throwable err) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (err instanceof InvalidException ie) {
      body.put("message", "Object is not valid");
      Map<String, ArrayNode> byPath = new LinkedHashMap<>();
      ArrayNode details = body.putArray("details");
      for (Violation v : ie.violations()) {
        byPath.computeIfAbsent(v.path(), p -> details.addObject().put("path", p).putArray("errors")).add(v.error());
      }
      return new Reply(422, body);
    }
    if (err instanceof CommandException ce) {
      return new Reply(ce.status(), body.put("message", ce.getMessage()));
    }
    if (err instanceof BadJson) {
      return new Reply(400, body.put("message", "Invalid JSON: " + err.getMessage()));
    }
    return new Reply(503, body.put("message", String.valueOf(err.getMessage())));
  }
}
