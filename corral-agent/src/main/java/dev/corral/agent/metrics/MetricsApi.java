package dev.corral.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.common.Json;
import dev.corral.common.PrometheusText;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's metrics over HTTP, as dcos-metrics' API v0 and for Prometheus:
 * <ul>
 *   <li>{@code GET /system/v1/metrics/v0/node}: the node's datapoints ({@link DcosJson});
 *   <li>{@code GET /system/v1/metrics/v0/containers}: a JSON array of the running containers' ids;
 *   <li>{@code GET /system/v1/metrics/v0/containers/{id}}: one container's datapoints, 404 when it does not
 *       run here;
 *   <li>{@code GET /metrics}: node and containers in the Prometheus text format ({@link PrometheusFormat}).
 * </ul>
 * Errors are {@code {"message": …}}. Runs on Jetty's threads: file reads and one hop to the agent's loop.
 */
public final class MetricsApi {
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  private final AgentMetrics metrics;
  private final ContainerLookup containers;

  public MetricsApi(AgentMetrics metrics, ContainerLookup containers) {
    this.metrics = metrics;
    this.containers = containers;
  }

  /** Adds the routes; touches no other setting. */
  public void install(JavalinConfig config) {
    config.routes.get("/system/v1/metrics/v0/node", ctx -> json(ctx, 200, DcosJson.render(metrics.node())));
    config.routes.get("/system/v1/metrics/v0/containers", this::list);
    config.routes.get("/system/v1/metrics/v0/containers/{id}", this::container);
    config.routes.get("/metrics", this::prometheus);
  }

  private void prometheus(Context ctx) throws InterruptedException {
    List<ContainerInfo> running = running(ctx);
    if (running != null) {
      String text = PrometheusFormat.render(metrics.node(), metrics.containers(running));
      ctx.contentType(PrometheusText.CONTENT_TYPE).result(text);
    }
  }

  private void list(Context ctx) throws InterruptedException {
    List<ContainerInfo> running = running(ctx);
    if (running != null) {
      ArrayNode ids = Json.mapper().createArrayNode();
      running.forEach(c -> ids.add(c.containerId()));
      json(ctx, 200, ids);
    }
  }

  private void container(Context ctx) throws InterruptedException {
    String id = ctx.pathParam("id");
    Optional<ContainerInfo> found;
    try {
      found = containers.find(id).get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      unavailable(ctx, e);
      return;
    }
    if (found.isEmpty()) {
      json(ctx, 404, message("container '" + id + "' does not run on this agent"));
      return;
    }
    json(ctx, 200, DcosJson.render(metrics.container(found.get())));
  }

  /** The running containers, or null after answering 503 when the task table does not answer. */
  private List<ContainerInfo> running(Context ctx) throws InterruptedException {
    try {
      return containers.running().get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      unavailable(ctx, e);
      return null;
    }
  }

  private static void unavailable(Context ctx, Exception e) {
    json(ctx, 503, message("the agent's task table did not answer: " + e));
  }

  private static JsonNode message(String text) {
    return Json.mapper().createObjectNode().put("message", text);
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
  }
}
