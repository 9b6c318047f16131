package dev.corral.services;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.MarathonApi.Reply;
import dev.corral.services.api.Bodies;
import dev.corral.services.api.HttpError;
import dev.corral.services.api.PodJson;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.engine.WriteResult;
import dev.corral.services.events.EventTypes;
import dev.corral.services.events.MarathonEvents;
import dev.corral.services.events.RequestOrigin;
import dev.corral.services.instance.Instance;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Marathon's {@code /v2/pods}: {@code GET|POST /v2/pods}, {@code GET|PUT|DELETE /v2/pods/{id}},
 * {@code GET /v2/pods/{id}::status} and {@code /v2/pods/::status}, {@code GET /v2/pods/{id}::versions[/{v}]},
 * {@code DELETE /v2/pods/{id}::instances[/{instanceId}]}. Writes answer once durable, with the deployment id in
 * {@code Marathon-Deployment-Id}, and publish {@code pod_created_event}, {@code pod_updated_event} or
 * {@code pod_deleted_event}.
 */
final class PodApi {
  private static final String DEPLOYMENT_HEADER = "Marathon-Deployment-Id";
  private static final String STATUS = "::status";
  private static final String VERSIONS = "::versions";
  private static final String INSTANCES = "::instances";

  private final ServiceScheduler scheduler;

  PodApi(ServiceScheduler scheduler) {
    this.scheduler = scheduler;
  }

  void install(RoutesConfig routes) {
    // Marathon clients probe for pod support with HEAD /v2/pods.
    routes.head("/v2/pods", ctx -> ctx.status(200));
    routes.get("/v2/pods", ctx -> MarathonApi.respond(ctx, () -> view(this::list)));
    routes.post("/v2/pods", ctx -> MarathonApi.respond(ctx, () -> create(ctx)));
    routes.get("/v2/pods/<path>", ctx -> MarathonApi.respond(ctx, () -> view(v -> get(ctx, v))));
    routes.put("/v2/pods/<path>", ctx -> MarathonApi.respond(ctx, () -> update(ctx)));
    routes.delete("/v2/pods/<path>", ctx -> MarathonApi.respond(ctx, () -> delete(ctx)));
  }

  private CompletableFuture<Reply> view(java.util.function.Function<ServicesView, Reply> render) {
    return scheduler.view().thenApply(render);
  }

  private Reply list(ServicesView view) {
    ArrayNode pods = Json.mapper().createArrayNode();
    for (AppDefinition app : view.apps().values()) {
      if (app.isPod()) {
        pods.add(PodJson.pod(app));
      }
    }
    return Reply.ok(pods);
  }

  private CompletableFuture<Reply> create(Context ctx) {
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    RequestOrigin origin = MarathonApi.origin(ctx);
    return scheduler.createPod(body, MarathonApi.force(ctx)).thenApply(r -> {
      scheduler.events().publish(MarathonEvents.pod(EventTypes.POD_CREATED, r.app().id(), origin));
      return new Reply(201, PodJson.pod(r.app()), Map.of(DEPLOYMENT_HEADER, r.deploymentId(),
          "Location", "/v2/pods" + r.app().id()));
    });
  }

  private Reply get(Context ctx, ServicesView view) {
    String path = trim(ctx.pathParam("path"));
    if (path.equals(STATUS)) {
      ArrayNode all = Json.mapper().createArrayNode();
      view.apps().values().stream().filter(AppDefinition::isPod).forEach(p -> all.add(PodJson.status(p, view)));
      return Reply.ok(all);
    }
    if (path.endsWith(STATUS)) {
      return Reply.ok(PodJson.status(existing(view, path.substring(0, path.length() - STATUS.length())), view));
    }
    int versions = path.indexOf(VERSIONS);
    if (versions >= 0) {
      AppDefinition pod = existing(view, path.substring(0, versions));
      String rest = trim(path.substring(versions + VERSIONS.length()));
      if (rest.isEmpty()) {
        ArrayNode out = Json.mapper().createArrayNode();
        List<String> stored = new ArrayList<>(view.versions().getOrDefault(pod.id(), List.of()));
        for (int i = stored.size() - 1; i >= 0; i--) {
          out.add(stored.get(i));
        }
        return Reply.ok(out);
      }
      AppDefinition stored = scheduler.appVersion(pod.id(), rest).filter(AppDefinition::isPod).orElseThrow(
          () -> HttpError.message(404, "Version '" + rest + "' of pod '" + pod.id() + "' does not exist"));
      return Reply.ok(PodJson.pod(stored));
    }
    return Reply.ok(PodJson.pod(existing(view, path)));
  }

  private CompletableFuture<Reply> update(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    ObjectNode body = Bodies.object(ctx.bodyAsBytes());
    RequestOrigin origin = MarathonApi.origin(ctx);
    return scheduler.updatePod(path, body, MarathonApi.force(ctx)).thenApply(r -> {
      scheduler.events().publish(MarathonEvents.pod(r.created() ? EventTypes.POD_CREATED : EventTypes.POD_UPDATED,
          r.app().id(), origin));
      return new Reply(r.created() ? 201 : 200, PodJson.pod(r.app()), Map.of(DEPLOYMENT_HEADER, r.deploymentId()));
    });
  }

  private CompletableFuture<Reply> delete(Context ctx) {
    String path = trim(ctx.pathParam("path"));
    RequestOrigin origin = MarathonApi.origin(ctx);
    int instances = path.indexOf(INSTANCES);
    if (instances >= 0) {
      String podId = path.substring(0, instances);
      String rest = trim(path.substring(instances + INSTANCES.length()));
      Set<String> ids = null;
      if (!rest.isEmpty()) {
        ids = Set.of(rest);
      } else if (ctx.body().isBlank()) {
        ids = null;
      } else {
        ids = new java.util.LinkedHashSet<>();
        com.fasterxml.jackson.databind.JsonNode list;
        try {
          list = Json.mapper().readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
          throw HttpError.message(400, "the body must be a JSON array of instance ids");
        }
        if (!list.isArray()) {
          throw HttpError.message(400, "the body must be a JSON array of instance ids");
        }
        for (com.fasterxml.jackson.databind.JsonNode id : list) {
          ids.add(id.asText());
        }
      }
      boolean one = !rest.isEmpty();
      boolean wipe = Boolean.parseBoolean(ctx.queryParam("wipe"));
      return scheduler.killPodInstances(podId, ids, wipe).thenCompose(r -> scheduler.view().thenApply(v -> {
        ArrayNode killed = Json.mapper().createArrayNode();
        for (Instance i : r.killed()) {
          killed.add(instanceJson(i, r, v));
        }
        return Reply.ok(one && killed.size() == 1 ? killed.get(0) : killed);
      }));
    }
    return scheduler.deletePod(path, MarathonApi.force(ctx)).thenApply(r -> {
      scheduler.events().publish(MarathonEvents.pod(EventTypes.POD_DELETED, r.app().id(), origin));
      return new Reply(202, null, Map.of(DEPLOYMENT_HEADER, r.deploymentId()));
    });
  }

  /** A killed instance as Marathon's PodInstanceStatus (as it is now: its containers being killed). */
  private static ObjectNode instanceJson(Instance i, WriteResult r, ServicesView view) {
    for (com.fasterxml.jackson.databind.JsonNode n : PodJson.status(r.app(), view).path("instances")) {
      if (n.path("id").asText().equals(i.id())) {
        return (ObjectNode) n;
      }
    }
    return Json.mapper().createObjectNode().put("id", i.id()).put("status", "TERMINAL");
  }

  private static AppDefinition existing(ServicesView view, String raw) {
    String id;
    try {
      id = AppIds.canonical(trim(raw));
    } catch (IllegalArgumentException e) {
      throw HttpError.message(404, "Pod '/" + trim(raw) + "' does not exist");
    }
    AppDefinition pod = view.apps().get(id);
    if (pod == null || !pod.isPod()) {
      throw HttpError.message(404, "Pod '" + id + "' does not exist");
    }
    return pod;
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
}
