package dev.corral.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.master.OperatorException;
import dev.corral.state.SecretStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The secret store's API, in DC/OS's shape ({@code /secrets/v1/secret/default/<path>}; {@code default} is the
 * only store):
 * <ul>
 *   <li>{@code PUT} creates ({@code {"value": "text"}}, or the raw bytes as {@code application/octet-stream}):
 *       201, or 409 when it exists;
 *   <li>{@code PATCH} replaces the value: 204, or 404;
 *   <li>{@code GET} answers {@code {"value": "text"}} (the raw bytes with {@code Accept: application/octet-stream},
 *       which a binary value always needs); {@code ?list=true} lists the paths under it,
 *       {@code {"array": ["db/password", …]}}, relative to it;
 *   <li>{@code DELETE}: 204, or 404.
 * </ul>
 * Permissions per secret: {@code corral:secrets:<path>} (docs/secrets.md).
 */
final class SecretRoutes {
  private static final String PREFIX = "/secrets/v1/secret/";
  private static final String OCTETS = "application/octet-stream";
  private static final long WAIT_SECONDS = 30;

  private final SecretStore secrets;

  SecretRoutes(SecretStore secrets) {
    this.secrets = secrets;
  }

  void install(RoutesConfig routes) {
    routes.get(PREFIX + "{store}", ctx -> list(ctx, ""));
    routes.get(PREFIX + "{store}/", ctx -> list(ctx, ""));
    routes.get(PREFIX + "{store}/<path>", ctx -> {
      String path = path(ctx);
      if ("true".equals(ctx.queryParam("list"))) {
        list(ctx, path);
        return;
      }
      byte[] value = secrets.get(path).orElseThrow(() -> notFound(path));
      String accept = ctx.header("Accept");
      if (accept != null && accept.contains(OCTETS)) {
        ctx.contentType(OCTETS).result(value);
        return;
      }
      String text = dev.corral.common.Utf8.textOrNull(value);
      if (text == null) {
        throw new OperatorException(406, "secret " + path + " is binary: ask for it with Accept: " + OCTETS);
      }
      json(ctx, 200, Json.mapper().createObjectNode().put("value", text));
    });
    routes.put(PREFIX + "{store}/<path>", ctx -> {
      String path = path(ctx);
      byte[] value = value(ctx);
      synchronized (this) {
        // one leader serves this API: checking, then writing, under its lock cannot race another creator
        if (secrets.exists(path)) {
          throw new OperatorException(409, "secret " + path + " exists already; change it with PATCH");
        }
        await(secrets.put(path, value));
      }
      ctx.status(201);
    });
    routes.patch(PREFIX + "{store}/<path>", ctx -> {
      String path = path(ctx);
      byte[] value = value(ctx);
      synchronized (this) {
        if (!secrets.exists(path)) {
          throw notFound(path);
        }
        await(secrets.put(path, value));
      }
      ctx.status(204);
    });
    routes.delete(PREFIX + "{store}/<path>", ctx -> {
      String path = path(ctx);
      synchronized (this) {
        if (!secrets.exists(path)) {
          throw notFound(path);
        }
        await(secrets.delete(path));
      }
      ctx.status(204);
    });
  }

  private void list(Context ctx, String prefix) {
    store(ctx);
    List<String> paths = secrets.list(prefix).stream()
        .map(p -> prefix.isEmpty() ? p : p.equals(prefix) ? "" : p.substring(prefix.length() + 1))
        .filter(p -> !p.isEmpty()).toList();
    ObjectNode body = Json.mapper().createObjectNode();
    paths.forEach(body.putArray("array")::add);
    if (!body.has("array")) {
      body.putArray("array");
    }
    json(ctx, 200, body);
  }

  /** The secret's path from the URL, checked; the store must be {@code default}. */
  private static String path(Context ctx) {
    store(ctx);
    String path = ctx.pathParam("path");
    path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String problem = SecretStore.problem(path);
    if (problem != null) {
      throw new OperatorException(400, "path: " + problem);
    }
    return path;
  }

  private static void store(Context ctx) {
    if (!ctx.pathParam("store").equals("default")) {
      throw new OperatorException(404, "secret store " + ctx.pathParam("store") + " does not exist; the only one is"
          + " 'default'");
    }
  }

  /** The body's value: {@code {"value": "text"}}, or the raw bytes as application/octet-stream. */
  private static byte[] value(Context ctx) {
    byte[] value;
    String type = ctx.contentType();
    if (type != null && type.startsWith(OCTETS)) {
      value = ctx.bodyAsBytes();
    } else {
      JsonNode body;
      try {
        body = Json.mapper().readTree(ctx.body());
      } catch (IOException e) {
        throw new OperatorException(400, "(body): not JSON: " + e.getMessage());
      }
      if (body == null || !body.path("value").isTextual()) {
        throw new OperatorException(400, "value: must be a string (or send the bytes as " + OCTETS + ")");
      }
      value = body.get("value").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (value.length > SecretStore.MAX_VALUE_BYTES) {
      throw new OperatorException(413, "value: at most " + SecretStore.MAX_VALUE_BYTES + " bytes");
    }
    return value;
  }

  private static OperatorException notFound(String path) {
    return new OperatorException(404, "secret " + path + " does not exist");
  }

  private static void await(CompletableFuture<Void> write) throws InterruptedException {
    try {
      write.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new OperatorException(503, "the secret was not stored: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new OperatorException(503, "the secret store did not answer within " + WAIT_SECONDS + " s; retry");
    }
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
  }
}
