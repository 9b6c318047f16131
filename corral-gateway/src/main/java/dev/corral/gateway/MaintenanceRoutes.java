package dev.corral.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.master.AgentEndpoint;
import dev.corral.master.MaintenanceJson;
import dev.corral.master.OperatorException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator API for maintenance (docs/operations.md):
 * <ul>
 *   <li>{@code POST /master/agents/{id}/drain} with optional {@code {"gracePeriodSeconds": 60}},
 *       {@code POST /master/agents/{id}/deactivate}, {@code POST /master/agents/{id}/reactivate}: the agent
 *       as {@code /master/slaves} shows it;
 *   <li>{@code GET|POST /master/maintenance/schedule}: Mesos' schedule JSON;
 *   <li>{@code POST /master/machine/down}, {@code POST /master/machine/up}: a list of machine ids, answered
 *       with the agents affected;
 *   <li>{@code POST /master/reserve}, {@code POST /master/unreserve} with {@code {"agentId": …, "resources":
 *       [{"name": "cpus", "role": "ads", "scalar": 2}]}}: dynamic reservations, answered with the agent.
 * </ul>
 * Bad input is a 400 naming the field path; an unknown agent a 404; a move its state does not allow a 409.
 * Answers come once the change is in the store.
 */
final class MaintenanceRoutes {
  private static final long WAIT_SECONDS = 30;

  private final NodeOperations nodes;

  MaintenanceRoutes(NodeOperations nodes) {
    this.nodes = nodes;
  }

  void install(RoutesConfig routes) {
    routes.post("/master/agents/{agentId}/drain", ctx -> {
      Duration grace = grace(body(ctx, true));
      agent(ctx, nodes.drain(ctx.pathParam("agentId"), grace));
    });
    routes.post("/master/agents/{agentId}/deactivate", ctx -> agent(ctx, nodes.deactivate(ctx.pathParam("agentId"))));
    routes.post("/master/agents/{agentId}/reactivate", ctx -> agent(ctx, nodes.reactivate(ctx.pathParam("agentId"))));
    routes.get("/master/maintenance/schedule", ctx -> json(ctx, 200, MaintenanceJson.render(await(nodes.schedule()))));
    routes.post("/master/maintenance/schedule", ctx -> {
      JsonNode body = body(ctx, false);
      json(ctx, 200, MaintenanceJson.render(await(nodes.setSchedule(MaintenanceJson.windows(body, "")))));
    });
    routes.post("/master/machine/down", ctx -> agents(ctx, nodes.down(MaintenanceJson.machines(body(ctx, false),
        "(body)"))));
    routes.post("/master/machine/up", ctx -> agents(ctx, nodes.up(MaintenanceJson.machines(body(ctx, false),
        "(body)"))));
    routes.post("/master/reserve", ctx -> {
      JsonNode body = body(ctx, false);
      agent(ctx, nodes.reserve(agentId(body), resources(body)));
    });
    routes.post("/master/unreserve", ctx -> {
      JsonNode body = body(ctx, false);
      agent(ctx, nodes.unreserve(agentId(body), resources(body)));
    });
  }

  /** {@code "agentId"} (or Mesos' {@code "slaveId"}). */
  private static String agentId(JsonNode body) {
    if (!body.isObject()) {
      throw new OperatorException(400, "(body): must be an object with \"agentId\" and \"resources\"");
    }
    JsonNode id = body.has("agentId") ? body.get("agentId") : body.get("slaveId");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new OperatorException(400, "agentId: is required (the agent's id, as corral node list shows it)");
    }
    return id.asText();
  }

  /** {@code "resources": [{"name": "cpus", "role": "ads", "scalar": 2}]}; the master checks the amounts. */
  private static List<dev.corral.api.v1.Resource> resources(JsonNode body) {
    JsonNode list = body.get("resources");
    if (list == null || !list.isArray()) {
      throw new OperatorException(400, "resources: must be an array of {\"name\", \"role\", \"scalar\"}");
    }
    List<dev.corral.api.v1.Resource> out = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      String at = "resources[" + i + "]";
      if (!r.isObject()) {
        throw new OperatorException(400, at + ": must be an object");
      }
      if (!r.path("name").isTextual()) {
        throw new OperatorException(400, at + ".name: must be a string such as \"cpus\"");
      }
      if (!r.path("role").isTextual()) {
        throw new OperatorException(400, at + ".role: must be a string");
      }
      if (!r.path("scalar").isNumber()) {
        throw new OperatorException(400, at + ".scalar: must be a number");
      }
      out.add(dev.corral.api.v1.Resource.newBuilder().setName(r.get("name").asText()).setRole(r.get("role").asText())
          .setScalar(r.get("scalar").asDouble()).build());
    }
    return out;
  }

  private static Duration grace(JsonNode body) {
    if (body == null || !body.has("gracePeriodSeconds") || body.get("gracePeriodSeconds").isNull()) {
      return null;
    }
    JsonNode g = body.get("gracePeriodSeconds");
    if (!g.isNumber() || g.asDouble() < 0) {
      throw new OperatorException(400, "gracePeriodSeconds: must be a number of seconds, 0 or more");
    }
    return Duration.ofMillis(Math.round(g.asDouble() * 1000));
  }

  /** The JSON body; an empty one is null when {@code optional}, a 400 otherwise. */
  private static JsonNode body(Context ctx, boolean optional) {
    String text = ctx.body();
    if (text.isBlank()) {
      if (optional) {
        return null;
      }
      throw new OperatorException(400, "(body): a JSON body is required");
    }
    try {
      JsonNode node = Json.mapper().readTree(text);
      if (optional && !node.isObject()) {
        throw new OperatorException(400, "(body): must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new OperatorException(400, "(body): not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  private static void agent(Context ctx, CompletableFuture<AgentEndpoint> future) {
    json(ctx, 200, AgentsJson.agent(await(future)));
  }

  private static void agents(Context ctx, CompletableFuture<List<AgentEndpoint>> future) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode list = root.putArray("slaves");
    await(future).forEach(a -> list.add(AgentsJson.agent(a)));
    json(ctx, 200, root);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OperatorException o) {
        throw o;
      }
      throw new OperatorException(500, "the master failed: " + e.getCause());
    } catch (TimeoutException e) {
      throw new OperatorException(503, "the master did not answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException(503, "interrupted");
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
  }
}
