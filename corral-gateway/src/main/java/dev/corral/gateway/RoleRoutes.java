package dev.corral.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.master.OperatorException;
import dev.corral.master.RoleView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Roles, weights and quota (docs/operations.md), in the spirit of Mesos' endpoints:
 * <ul>
 *   <li>{@code GET /master/roles}: {@code {"roles": [{"name", "weight", "frameworks", "allocated", "quota"}]}};
 *   <li>{@code GET /master/weights}; {@code PUT /master/weights} with {@code [{"role": "ads", "weight": 2}]};
 *   <li>{@code GET /master/quota}: {@code {"infos": [{"role", "guarantee", "limit"}]}};
 *       {@code POST /master/quota} with {@code {"role": "ads", "guarantee": {"cpus": 2}, "limit": {"cpus": 4}}};
 *       {@code DELETE /master/quota/{role}}.
 * </ul>
 * Resources are {@code {"cpus": 2, "mem": 1024}}. Bad input is a 400 naming the field path.
 */
final class RoleRoutes {
  private static final long WAIT_SECONDS = 30;

  private final NodeOperations nodes;

  RoleRoutes(NodeOperations nodes) {
    this.nodes = nodes;
  }

  void install(RoutesConfig routes) {
    routes.get("/master/roles", ctx -> {
      ObjectNode root = Json.mapper().createObjectNode();
      ArrayNode list = root.putArray("roles");
      for (RoleView r : await(nodes.roles())) {
        list.add(role(r));
      }
      json(ctx, root);
    });
    routes.get("/master/weights", ctx -> {
      ArrayNode list = Json.mapper().createArrayNode();
      for (RoleView r : await(nodes.roles())) {
        list.addObject().put("role", r.role()).put("weight", r.weight());
      }
      json(ctx, list);
    });
    routes.put("/master/weights", ctx -> {
      JsonNode body = body(ctx);
      if (!body.isArray()) {
        throw new OperatorException(400, "(body): must be an array of {\"role\", \"weight\"}");
      }
      ArrayNode out = Json.mapper().createArrayNode();
      for (int i = 0; i < body.size(); i++) {
        JsonNode w = body.get(i);
        String role = text(w, "role", "[" + i + "].role");
        JsonNode weight = w.get("weight");
        if (weight == null || !weight.isNumber() || !(weight.asDouble() > 0)) {
          throw new OperatorException(400, "[" + i + "].weight: must be a positive number");
        }
        RoleView r = await(nodes.setWeight(role, weight.asDouble()));
        out.addObject().put("role", r.role()).put("weight", r.weight());
      }
      json(ctx, out);
    });
    routes.get("/master/quota", ctx -> {
      ObjectNode root = Json.mapper().createObjectNode();
      ArrayNode list = root.putArray("infos");
      for (RoleView r : await(nodes.roles())) {
        if (!r.guarantee().isEmpty() || !r.limit().isEmpty()) {
          list.add(quota(r));
        }
      }
      json(ctx, root);
    });
    routes.post("/master/quota", ctx -> {
      JsonNode body = body(ctx);
      if (!body.isObject()) {
        throw new OperatorException(400, "(body): must be an object with \"role\", \"guarantee\" and/or \"limit\"");
      }
      String role = text(body, "role", "role");
      Map<String, Double> guarantee = amounts(body.get("guarantee"), "guarantee");
      Map<String, Double> limit = amounts(body.get("limit"), "limit");
      if (guarantee == null && limit == null) {
        throw new OperatorException(400, "guarantee: a quota needs a guarantee or a limit");
      }
      json(ctx, quota(await(nodes.setQuota(role, guarantee, limit))));
    });
    routes.delete("/master/quota/{role}", ctx -> json(ctx, quota(await(nodes.removeQuota(ctx.pathParam("role"))))));
  }

  private static ObjectNode role(RoleView r) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("name", r.role());
    o.put("weight", r.weight());
    o.put("frameworks", r.frameworks());
    o.set("allocated", resources(r.allocated()));
    o.set("quota", quota(r));
    return o;
  }

  private static ObjectNode quota(RoleView r) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("role", r.role());
    o.set("guarantee", resources(r.guarantee()));
    o.set("limit", resources(r.limit()));
    return o;
  }

  private static ObjectNode resources(Map<String, Double> amounts) {
    ObjectNode o = Json.mapper().createObjectNode();
    for (String kind : List.of("cpus", "mem", "disk", "gpus")) {
      Double v = amounts.get(kind);
      if (v != null) {
        o.put(kind, v);
      }
    }
    return o;
  }

  private static Map<String, Double> amounts(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new OperatorException(400, path + ": must be an object like {\"cpus\": 2, \"mem\": 1024}");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getValue().isNumber()) {
        throw new OperatorException(400, path + "." + f.getKey() + ": must be a number");
      }
      out.put(f.getKey(), f.getValue().asDouble());
    }
    return out;
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new OperatorException(400, path + ": must be a role name");
    }
    return v.asText();
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      throw new OperatorException(400, "(body): a JSON body is required");
    }
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new OperatorException(400, "(body): not valid JSON");
    }
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

  private static void json(Context ctx, JsonNode body) {
    ctx.status(200).contentType("application/json; charset=utf-8").result(body.toString());
  }
}
