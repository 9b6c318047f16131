package dev.corral.services;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.api.AppJson;
import dev.corral.services.api.Bodies;
import dev.corral.services.api.DeploymentJson;
import dev.corral.services.api.GroupJson;
import dev.corral.services.api.HttpError;
import dev.corral.services.api.InfoJson;
import dev.corral.services.api.PodJson;
import dev.corral.services.api.QueueJson;
import dev.corral.services.api.TaskJson;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.engine.CommandException;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.engine.WriteResult;
import dev.corral.services.events.EventStreamEndpoint;
import dev.corral.services.events.RequestOrigin;
import dev.corral.services.events.StreamAccess;
import dev.corral.services.instance.Instance;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marathon's REST API v2 over a {@link ServiceScheduler}: apps, tasks, queue, deployments, info, leader,
 * ping, with Marathon's JSON shapes and status codes, and the event stream {@code /v2/events}
 * ({@link EventStreamEndpoint}).
 *
 * <p>Mounting (Javalin 7 declares routes on the config):
 * <pre>{@code
 * MarathonApi api = new MarathonApi(scheduler);
 * Javalin server = Javalin.create(config -> api.install(config)).start(8080);
 * }</pre>
 * {@code install} only adds routes (under {@code /v2} and {@code /ping}) and touches no other setting, so the
 * same config may carry other modules' routes. Handlers are asynchronous ({@code ctx.future}): they never
 * block Jetty's threads on the scheduler's event loop. Writes answer only once the store has the change.
 *
 * <p>App ids are paths ({@code /prod/web}), so app routes take the rest of the URL and parse it. A URL that
 * ends in {@code /tasks}, {@code /tasks/<taskId>}, {@code /versions[/<v>]} or {@code /restart} addresses
 * that sub-resource when the app before it exists; otherwise the whole path is an app id (an app may be
 * called {@code tasks}).
 */
public final class MarathonApi {
  private static final Logger log = LoggerFactory.getLogger(MarathonApi.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final String DEPLOYMENT_HEADER = "Marathon-Deployment-Id";

  private final ServiceScheduler scheduler;
  private final EventStreamEndpoint events;

  public MarathonApi(ServiceScheduler scheduler) {
    this(scheduler, StreamAccess.ALL);
  }

  /** @param eventAccess which apps' and pods' events each caller of {@code /v2/events} may see */
  public MarathonApi(ServiceScheduler scheduler, StreamAccess eventAccess) {
    this.scheduler = scheduler;
    this.events = new EventStreamEndpoint(scheduler.events(), eventAccess);
  }

  /** One HTTP answer. */
  /** An answer; a textual body is sent as text/plain, anything else as JSON. */
  record Reply(int status, JsonNode body, Map<String, String> headers) {
    static Reply ok(JsonNode body) {
      return new Reply(200, body, Map.of());
    }
  }

  /** Adds the routes to a Javalin 7 config; call inside {@code Javalin.create(config -> …)}. */
  public void install(JavalinConfig config) {
    RoutesConfig routes = config.routes;
    routes.get("/ping", ctx -> ctx.contentType("text/plain; charset=utf-8").result("pong"));
    routes.get("/v2/info", ctx -> respond(ctx, () -> view(v -> Reply.ok(InfoJson.render(scheduler.config(), v)))));
    routes.get("/v2/leader", ctx -> respond(ctx, () -> CompletableFuture.completedFuture(
        Reply.ok(Json.mapper().createObjectNode().put("leader", scheduler.config().leaderAddress())))));
    routes.get("/v2/apps", ctx -> respond(ctx, () -> view(v -> listApps(ctx, v))));
    routes.post("/v2/apps", ctx -> respond(ctx, () -> createApp(ctx)));
    routes.get("/v2/apps/<path>", ctx -> respond(ctx, () -> {
      List<String> concerned = appsConcerned(trim(ctx.pathParam("path")));
      return (concerned == null ? scheduler.view() : scheduler.view(concerned)).thenApply(v -> getUnderApps(ctx, v));
    }));
    routes.put("/v2/apps", ctx -> respond(ctx, () -> putApps(ctx, !"false".equals(ctx.queryParam("partialUpdate")))));
    routes.patch("/v2/apps", ctx -> respond(ctx, () -> putApps(ctx, true)));
    routes.put("/v2/apps/<path>", ctx -> respond(ctx, () -> putApp(ctx, !"false".equals(ctx.queryParam("partialUpdate")))));
    routes.patch("/v2/apps/<path>", ctx -> respond(ctx, () -> putApp(ctx, true)));
    routes.delete("/v2/apps/<path>", ctx -> respond(ctx, () -> deleteUnderApps(ctx)));
    routes.post("/v2/apps/<path>", ctx -> respond(ctx, () -> postUnderApps(ctx)));
    routes.get("/v2/tasks", ctx -> respond(ctx, () -> view(v -> listTasks(ctx, v))));
    routes.get("/v2/queue", ctx -> respond(ctx, () -> scheduler.queueView().thenApply(v -> Reply.ok(QueueJson.render(v,
        embedded(ctx.queryParams("embed"), QueueJson.EMBED_LAST_UNUSED_OFFERS))))));
    routes.delete("/v2/queue/<path>", ctx -> respond(ctx, () -> resetDelay(ctx)));
    // Marathon's queue has no other route under an app: other methods on .../delay are not allowed.
    routes.get("/v2/queue/<path>", ctx -> respond(ctx, () -> notAllowedUnderQueue(ctx)));
    routes.post("/v2/queue/<path>", ctx -> respond(ctx, () -> notAllowedUnderQueue(ctx)));
    routes.put("/v2/queue/<path>", ctx -> respond(ctx, () -> notAllowedUnderQueue(ctx)));
    routes.get("/v2/groups", ctx -> respond(ctx, () -> view(v -> getGroup(ctx, "/", v))));
    routes.get("/v2/groups/<path>", ctx -> respond(ctx, () -> getUnderGroups(ctx)));
    routes.post("/v2/groups", ctx -> respond(ctx, () -> postGroup(ctx, null)));
    routes.post("/v2/groups/<path>", ctx -> respond(ctx, () -> postGroup(ctx, trim(ctx.pathParam("path")))));
    routes.put("/v2/groups", ctx -> respond(ctx, () -> putGroup(ctx, "/")));
    routes.put("/v2/groups/<path>", ctx -> respond(ctx, () -> putGroup(ctx, trim(ctx.pathParam("path")))));
    routes.delete("/v2/groups", ctx -> respond(ctx, () -> deleteGroup(ctx, "/")));
    routes.delete("/v2/groups/<path>", ctx -> respond(ctx, () -> deleteGroup(ctx, trim(ctx.pathParam("path")))));
    routes.get("/v2/deployments", ctx -> respond(ctx, () -> view(v -> Reply.ok(DeploymentJson.render(v)))));
    routes.get("/v2/deployments/{id}", ctx -> respond(ctx, () -> view(v -> getDeployment(ctx, v))));
    routes.delete("/v2/deployments/{id}", ctx -> respond(ctx, () -> deleteDeployment(ctx)));
    routes.get("/v2/events", events::handle);
    new PodApi(scheduler).install(routes);
  }

  // ---------------------------------------------------------------- apps

  private Reply listApps(Context ctx, ServicesView view) {
    Set<AppJson.Embed> embeds = embeds(ctx.queryParams("embed"), AppJson.LIST_DEFAULT);
    String idFilter = ctx.queryParam("id");
    String cmdFilter = ctx.queryParam("cmd");
    String label = ctx.queryParam("label");
    ArrayNode apps = Json.mapper().createArrayNode();
    for (AppDefinition app : view.apps().values()) {
      if (app.isPod()) {
        continue;
      }
      if (idFilter != null && !app.id().toLowerCase(Locale.ROOT).contains(idFilter.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (cmdFilter != null && (app.cmd() == null || !app.cmd().contains(cmdFilter))) {
        continue;
      }
      if (label != null && !labelMatches(app, label)) {
        continue;
      }
      apps.add(AppJson.render(app, view, embeds));
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("apps", apps);
    return Reply.ok(body);
  }

  private CompletableFuture<Reply> createApp(Context ctx) {
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    return scheduler.createApp(body, force(ctx), origin(ctx)).thenApply(r -> {
      ObjectNode app = AppJson.withDefaults(r.app());
      app.put("tasksStaged", 0).put("tasksRunning", 0).put("tasksHealthy", 0).put("tasksUnhealthy", 0);
      app.putArray("tasks");
      app.putArray("deployments").addObject().put("id", r.deploymentId());
      return new Reply(201, app, Map.of(DEPLOYMENT_HEADER, r.deploymentId(), "Location", "/v2/apps" + r.app().id()));
    });
  }

  /**
   * The apps a GET under {@code /v2/apps/} may read: the path as an app id, or with {@code /tasks},
   * {@code /versions} or {@code /versions/<version>} taken off; null for {@code *} listings, which need every
   * app. A narrow view of these serves the request without copying the whole model.
   */
  static List<String> appsConcerned(String path) {
    if (path.equals("*") || path.endsWith("/*")) {
      return null;
    }
    List<String> ids = new ArrayList<>(3);
    String[] candidates = {path, stripLeaf(path, "/tasks"), stripLeaf(path, "/versions"),
        path.lastIndexOf('/') > 0 ? stripLeaf(path.substring(0, path.lastIndexOf('/')), "/versions") : null};
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isEmpty()) {
        try {
          ids.add(AppIds.canonical(candidate));
        } catch (IllegalArgumentException e) {
          // not an app id: the request's own checks answer it
        }
      }
    }
    return ids;
  }

  private static String stripLeaf(String path, String leaf) {
    return path.endsWith(leaf) ? path.substring(0, path.length() - leaf.length()) : null;
  }

  private Reply getUnderApps(Context ctx, ServicesView view) {
    String path = trim(ctx.pathParam("path"));
    String prefix = parentIfExists(view, path, "tasks");
    if (prefix != null && wantsText(ctx)) {
      return TaskEndpoints.reply(view.apps().get(prefix), view.instancesOf(prefix));
    }
    if (prefix != null) {
      ArrayNode tasks = Json.mapper().createArrayNode();
      AppDefinition app = view.apps().get(prefix);
      for (Instance i : view.instancesOf(prefix)) {
        if (i.hasLiveTask()) {
          tasks.add(TaskJson.render(i, app));
        }
      }
      ObjectNode body = Json.mapper().createObjectNode();
      body.set("tasks", tasks);
      return Reply.ok(body);
    }
    prefix = parentIfExists(view, path, "versions");
    if (prefix != null) {
      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode versions = body.putArray("versions");
      List<String> stored = new ArrayList<>(view.versions().getOrDefault(prefix, List.of()));
      for (int i = stored.size() - 1; i >= 0; i--) {
        versions.add(stored.get(i));
      }
      return Reply.ok(body);
    }
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      String appPart = path.substring(0, slash);
      String version = path.substring(slash + 1);
      String owner = parentIfExists(view, appPart, "versions");
      if (owner != null) {
        AppDefinition stored = scheduler.appVersion(owner, version)
            .orElseThrow(() -> HttpError.message(404, "Version '" + version + "' of app '" + owner + "' does not exist"));
        return Reply.ok(AppJson.withDefaults(stored));
      }
    }
    if (path.equals("*") || path.endsWith("/*")) {
      String group = path.equals("*") ? "/" : canonicalOrThrow(path.substring(0, path.length() - 2)) + "/";
      ArrayNode apps = Json.mapper().createArrayNode();
      for (AppDefinition app : view.apps().values()) {
        if (app.id().startsWith(group) && !app.isPod()) {
          apps.add(AppJson.render(app, view, AppJson.SINGLE));
        }
      }
      ObjectNode body = Json.mapper().createObjectNode();
      body.set("*", apps);
      return Reply.ok(body);
    }
    String id = canonicalOrThrow(path);
    AppDefinition app = view.apps().get(id);
    if (app == null || app.isPod()) {
      // For /x/tasks and /x/versions with neither app present, the app the user meant is /x.
      String missing = path.endsWith("/tasks") || path.endsWith("/versions")
          ? canonicalOrThrow(path.substring(0, path.lastIndexOf('/'))) : id;
      throw HttpError.message(404, "App '" + missing + "' does not exist");
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("app", AppJson.render(app, view, AppJson.SINGLE));
    return Reply.ok(body);
  }

  private CompletableFuture<Reply> putApp(Context ctx, boolean partial) {
    String path = trim(ctx.pathParam("path"));
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    return scheduler.updateApp(path, body, partial, force(ctx), origin(ctx))
        .thenApply(r -> deploymentReply(r.created() ? 201 : 200, r));
  }

  private CompletableFuture<Reply> putApps(Context ctx, boolean partial) {
    List<ObjectNode> bodies = Bodies.objects(ctx.bodyAsBytes());
    return scheduler.updateApps(bodies, partial, force(ctx), origin(ctx)).thenApply(r -> deploymentReply(200, r));
  }

  // ---------------------------------------------------------------- groups

  private Reply getGroup(Context ctx, String rawId, ServicesView view) {
    String id = groupId(rawId);
    ObjectNode group = GroupJson.render(id, view, groupEmbeds(ctx.queryParams("embed")));
    if (group == null) {
      throw HttpError.message(404, "Group '" + id + "' does not exist");
    }
    return Reply.ok(group);
  }

  /** /v2/groups/{id}, /v2/groups/{id}/versions and /v2/groups/{id}/versions/{version}. */
  private CompletableFuture<Reply> getUnderGroups(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    return scheduler.view().thenCompose(view -> {
      String slashed = "/" + path;
      int at = slashed.endsWith("/versions") ? slashed.length() - "/versions".length()
          : slashed.lastIndexOf("/versions/");
      if (at >= 0) {
        String group = groupId(slashed.substring(0, at));
        String version = slashed.substring(Math.min(slashed.length(), at + "/versions/".length()));
        if (GroupJson.render(group, view, new GroupJson.Embeds(false, false, Set.of())) == null) {
          throw HttpError.message(404, "Group '" + group + "' does not exist");
        }
        if (version.isEmpty()) {
          return CompletableFuture.completedFuture(Reply.ok(groupVersions(group, view)));
        }
        return scheduler.groupAtVersion(group, version).thenApply(apps -> {
          if (apps.isEmpty()) {
            throw HttpError.message(404, "Version '" + version + "' of group '" + group + "' does not exist");
          }
          ObjectNode body = Json.mapper().createObjectNode().put("id", group).put("version", version);
          ArrayNode list = body.putArray("apps");
          apps.values().forEach(a -> list.add(AppJson.withDefaults(a)));
          return Reply.ok(body);
        });
      }
      return CompletableFuture.completedFuture(getGroup(ctx, path, view));
    });
  }

  private static ArrayNode groupVersions(String group, ServicesView view) {
    String prefix = group.equals("/") ? "/" : group + "/";
    java.util.TreeSet<String> all = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    view.versions().forEach((appId, versions) -> {
      if (appId.startsWith(prefix)) {
        all.addAll(versions);
      }
    });
    view.groups().forEach((id, g) -> {
      if (id.equals(group) || id.startsWith(prefix)) {
        all.add(g.version());
      }
    });
    ArrayNode out = Json.mapper().createArrayNode();
    all.forEach(out::add);
    return out;
  }

  private CompletableFuture<Reply> postGroup(Context ctx, String parent) {
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    return scheduler.createGroup(parent, body, force(ctx)).thenApply(r -> {
      Reply reply = deploymentReply(201, r.write());
      return new Reply(201, reply.body(), reply.headers());
    });
  }

  private CompletableFuture<Reply> putGroup(Context ctx, String id) {
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    boolean dryRun = Boolean.parseBoolean(ctx.queryParam("dryRun"));
    return scheduler.updateGroup(id, body, force(ctx), dryRun).thenApply(r -> {
      if (r.write() == null) {
        ObjectNode plan = Json.mapper().createObjectNode();
        ArrayNode steps = plan.putArray("steps");
        r.plannedSteps().forEach(s -> {
          ArrayNode actions = steps.addObject().putArray("actions");
          s.actions().forEach(a -> actions.addObject().put("action", a.action().name()).put("app", a.appId()));
        });
        return Reply.ok(plan);
      }
      return deploymentReply(200, r.write());
    });
  }

  private CompletableFuture<Reply> deleteGroup(Context ctx, String id) {
    return scheduler.deleteGroup(id, force(ctx)).thenApply(r -> deploymentReply(200, r.write()));
  }

  private static String groupId(String raw) {
    if (raw == null || raw.isEmpty() || raw.equals("/")) {
      return "/";
    }
    try {
      return AppIds.canonical(raw);
    } catch (IllegalArgumentException e) {
      throw HttpError.message(404, "Group '/" + raw + "' does not exist");
    }
  }

  /** Marathon's group embeds: group.apps, group.groups, group.apps.{tasks,counts,deployments,…}; default apps and groups. */
  private static GroupJson.Embeds groupEmbeds(List<String> params) {
    boolean any = false;
    boolean apps = false;
    boolean groups = false;
    Set<AppJson.Embed> appEmbeds = EnumSet.noneOf(AppJson.Embed.class);
    for (String param : params) {
      for (String e : param.split(",")) {
        String name = e.trim();
        any |= !name.isEmpty();
        switch (name) {
          case "group.apps" -> apps = true;
          case "group.groups" -> groups = true;
          case "group.apps.tasks" -> { apps = true; appEmbeds.add(AppJson.Embed.TASKS); }
          case "group.apps.counts" -> { apps = true; appEmbeds.add(AppJson.Embed.COUNTS); }
          case "group.apps.deployments" -> { apps = true; appEmbeds.add(AppJson.Embed.DEPLOYMENTS); }
          case "group.apps.lastTaskFailure" -> { apps = true; appEmbeds.add(AppJson.Embed.LAST_TASK_FAILURE); }
          default -> { }
        }
      }
    }
    return any ? new GroupJson.Embeds(apps, groups, appEmbeds) : new GroupJson.Embeds(true, true, Set.of());
  }

  // ---------------------------------------------------------------- deployments

  private Reply getDeployment(Context ctx, ServicesView view) {
    Deployment d = view.deployments().get(ctx.pathParam("id"));
    if (d == null) {
      throw HttpError.message(404, "DeploymentPlan " + ctx.pathParam("id") + " does not exist");
    }
    return Reply.ok(DeploymentJson.render(d, view));
  }

  /** Without force: roll back (200 with the new deployment); with: cancel only (202). */
  private CompletableFuture<Reply> deleteDeployment(Context ctx) {
    boolean force = force(ctx);
    return scheduler.stopDeployment(ctx.pathParam("id"), force).thenApply(r -> force
        ? new Reply(202, Json.mapper().createObjectNode(), Map.of()) : deploymentReply(200, r));
  }

  static boolean force(Context ctx) {
    return Boolean.parseBoolean(ctx.queryParam("force"));
  }

  private CompletableFuture<Reply> deleteUnderApps(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    boolean scale = Boolean.parseBoolean(ctx.queryParam("scale"));
    boolean wipe = Boolean.parseBoolean(ctx.queryParam("wipe"));
    RequestOrigin origin = origin(ctx);
    return scheduler.view().thenCompose(view -> {
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        String owner = parentIfExists(view, path.substring(0, slash), "tasks");
        if (owner != null) {
          String taskId = path.substring(slash + 1);
          return scheduler.killTasks(owner, Set.of(taskId), null, scale, force(ctx), wipe).thenApply(r -> scale
              ? deploymentReply(200, r) : Reply.ok(taskReply("task", r).get(0)));
        }
      }
      String owner = parentIfExists(view, path, "tasks");
      if (owner != null) {
        return scheduler.killTasks(owner, null, ctx.queryParam("host"), scale, force(ctx), wipe).thenApply(r -> {
          if (scale) {
            return deploymentReply(200, r);
          }
          ObjectNode body = Json.mapper().createObjectNode();
          ArrayNode tasks = body.putArray("tasks");
          taskReply("task", r).forEach(t -> tasks.add(t.get("task")));
          return Reply.ok(body);
        });
      }
      return scheduler.deleteApp(path, force(ctx), origin).thenApply(r -> deploymentReply(200, r));
    });
  }

  private CompletableFuture<Reply> postUnderApps(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    if (path.endsWith("/restart")) {
      return scheduler.restartApp(path.substring(0, path.length() - "/restart".length()), force(ctx))
          .thenApply(r -> deploymentReply(200, r));
    }
    throw HttpError.message(404, "No such resource: POST /v2/apps/" + path);
  }

  private static List<ObjectNode> taskReply(String key, WriteResult r) {
    List<ObjectNode> out = new ArrayList<>();
    for (Instance i : r.killed()) {
      ObjectNode n = Json.mapper().createObjectNode();
      n.set(key, TaskJson.render(i, r.app()));
      out.add(n);
    }
    return out;
  }

  static Reply deploymentReply(int status, WriteResult r) {
    ObjectNode body = Json.mapper().createObjectNode().put("version", r.version());
    if (r.deploymentId() != null) {
      body.put("deploymentId", r.deploymentId());
      return new Reply(status, body, Map.of(DEPLOYMENT_HEADER, r.deploymentId()));
    }
    body.putNull("deploymentId");
    return new Reply(status, body, Map.of());
  }

  // ---------------------------------------------------------------- tasks

  /** Marathon answers task lists in its plain-text format when the client prefers text/plain (service discovery). */
  private static boolean wantsText(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
  }

  private Reply listTasks(Context ctx, ServicesView view) {
    if (wantsText(ctx)) {
      StringBuilder text = new StringBuilder();
      for (Map.Entry<String, List<Instance>> e : new TreeMap<>(view.instances()).entrySet()) {
        AppDefinition app = view.apps().get(e.getKey());
        if (app != null && !app.isPod()) {
          text.append(TaskEndpoints.text(app, e.getValue()));
        }
      }
      return TaskEndpoints.textReply(text.toString());
    }
    Set<String> states = new HashSet<>();
    for (String s : ctx.queryParams("status")) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          states.add("TASK_" + part.trim().toUpperCase(Locale.ROOT));
        }
      }
    }
    ArrayNode tasks = Json.mapper().createArrayNode();
    for (Map.Entry<String, List<Instance>> e : new TreeMap<>(view.instances()).entrySet()) {
      AppDefinition app = view.apps().get(e.getKey());
      for (Instance i : PodJson.containerTasks(e.getValue())) {
        if (i.hasLiveTask() && (states.isEmpty() || states.contains(i.task().lastState().name()))) {
          tasks.add(TaskJson.render(i, app));
        }
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("tasks", tasks);
    return Reply.ok(body);
  }

  // ---------------------------------------------------------------- queue

  private CompletableFuture<Reply> resetDelay(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    if (!path.endsWith("/delay")) {
      throw HttpError.message(404, "No such resource: DELETE /v2/queue/" + path);
    }
    String appId = path.substring(0, path.length() - "/delay".length());
    return scheduler.resetDelay(appId).thenApply(v -> new Reply(204, null, Map.of()));
  }

  private CompletableFuture<Reply> notAllowedUnderQueue(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    if (!path.endsWith("/delay")) {
      throw HttpError.message(404, "No such resource: " + ctx.method() + " /v2/queue/" + path);
    }
    return CompletableFuture.completedFuture(new Reply(405,
        Json.mapper().createObjectNode().put("message", "HTTP 405 Method Not Allowed"), Map.of("Allow", "DELETE")));
  }

  // ---------------------------------------------------------------- plumbing

  /** Who asked, for api_post_event: read on the request thread (the context is not for other threads). */
  static RequestOrigin origin(Context ctx) {
    return new RequestOrigin(ctx.req().getRemoteAddr(), ctx.path());
  }

  private CompletableFuture<Reply> view(Function<ServicesView, Reply> render) {
    return scheduler.view().thenApply(render);
  }

  /** The app id before "/{leaf}" when {@code path} ends so and that app exists; else null. */
  private static String parentIfExists(ServicesView view, String path, String leaf) {
    if (!path.endsWith("/" + leaf)) {
      return null;
    }
    String parent = path.substring(0, path.length() - leaf.length() - 1);
    try {
      String id = AppIds.canonical(parent);
      return view.apps().containsKey(id) && !view.apps().get(id).isPod() ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String canonicalOrThrow(String path) {
    try {
      return AppIds.canonical(path);
    } catch (IllegalArgumentException e) {
      throw HttpError.message(404, "App '/" + path + "' does not exist");
    }
  }

  private static String trim(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Whether {@code name} is among the {@code embed} parameters (repeated, or comma-separated in one). */
  private static boolean embedded(List<String> params, String name) {
    for (String param : params) {
      for (String e : param.split(",")) {
        if (e.trim().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<AppJson.Embed> embeds(List<String> params, Set<AppJson.Embed> always) {
    Set<AppJson.Embed> out = EnumSet.noneOf(AppJson.Embed.class);
    out.addAll(always);
    for (String param : params) {
      for (String e : param.split(",")) {
        String name = e.trim();
        name = name.substring(name.indexOf('.') + 1);
        switch (name) {
          case "tasks" -> out.add(AppJson.Embed.TASKS);
          case "counts" -> out.add(AppJson.Embed.COUNTS);
          case "deployments" -> out.add(AppJson.Embed.DEPLOYMENTS);
          case "lastTaskFailure" -> out.add(AppJson.Embed.LAST_TASK_FAILURE);
          case "failures" -> {
            out.add(AppJson.Embed.LAST_TASK_FAILURE);
            out.add(AppJson.Embed.TASKS);
          }
          default -> { }
        }
      }
    }
    return out;
  }

  /** Marathon's label selector, the simple forms: {@code key}, {@code key==value}, {@code key!=value}. */
  private static boolean labelMatches(AppDefinition app, String selector) {
    if (selector.contains("!=")) {
      String[] kv = selector.split("!=", 2);
      return !kv[1].trim().equals(app.labels().get(kv[0].trim()));
    }
    if (selector.contains("==")) {
      String[] kv = selector.split("==", 2);
      return kv[1].trim().equals(app.labels().get(kv[0].trim()));
    }
    return app.labels().containsKey(selector.trim());
  }

  static void respond(Context ctx, Supplier<CompletableFuture<Reply>> work) {
    CompletableFuture<Reply> reply;
    try {
      reply = work.get();
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> written = reply.handle((r, err) -> {
      write(ctx, err == null ? r : error(err));
      return null;
    });
    ctx.future(() -> written);
  }

  private static Reply error(Throwable err) {
    Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (e instanceof HttpError http) {
      return new Reply(http.status(), http.body(), Map.of());
    }
    if (e instanceof CommandException c) {
      switch (c.kind()) {
        case INVALID: {
          HttpError invalid = HttpError.invalid(c.violations());
          return new Reply(422, invalid.body(), Map.of());
        }
        case CONFLICT: return message(409, c.getMessage());
        case LOCKED: {
          ObjectNode body = Json.mapper().createObjectNode().put("message", c.getMessage());
          ArrayNode ids = body.putArray("deployments");
          c.deploymentIds().forEach(id -> ids.addObject().put("id", id));
          return new Reply(409, body, Map.of());
        }
        case NOT_FOUND: return message(404, c.getMessage());
        default: return message(503, c.getMessage());
      }
    }
    if (e instanceof IllegalStateException) {
      return message(503, e.getMessage());
    }
    log.error("unexpected error in the Marathon API", e);
    return message(500, "internal error: " + e);
  }

  private static Reply message(int status, String message) {
    // a 503 here is the store refusing a write while leadership changes, or a scheduler closing: retry soon
    return new Reply(status, Json.mapper().createObjectNode().put("message", message),
        status == 503 ? Map.of("Retry-After", "1") : Map.of());
  }

  private static void write(Context ctx, Reply r) {
    try {
      r.headers().forEach(ctx::header);
      if (r.body() == null) {
        ctx.status(r.status());
        return;
      }
      if (r.body().isTextual()) {
        ctx.status(r.status()).contentType("text/plain; charset=utf-8").result(r.body().asText());
        return;
      }
      ctx.status(r.status()).contentType(JSON).result(Json.mapper().writeValueAsBytes(r.body()));
    } catch (JsonProcessingException e) {
      ctx.status(500).result("{\"message\":\"could not render the answer\"}");
    }
  }
}
