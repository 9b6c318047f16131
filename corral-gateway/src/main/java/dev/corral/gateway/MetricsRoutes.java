package dev.corral.gateway;

import dev.corral.common.PrometheusText;
import dev.corral.master.AgentEndpoint;
import dev.corral.master.MasterCounts;
import dev.corral.master.TaskEndpoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics through the one entry point, and the agents they come from:
 * <ul>
 *   <li>{@code GET /system/v1/agent/{agentId}/metrics/v0/{node|containers|containers/ID}} → that agent's
 *       {@code /system/v1/metrics/v0/…} (the DC/OS path);
 *   <li>{@code GET /system/v1/metrics/v0/containers/{taskId}} → the task's agent, found as the logs routes
 *       find it;
 *   <li>{@code GET /master/slaves}: the agents, Mesos' shape ({@link AgentsJson});
 *   <li>{@code GET /metrics}: the master's agents, frameworks and tasks by state, and its offers, for
 *       Prometheus.
 * </ul>
 * Unknown agents and tasks are 404s that say so; an agent that cannot be reached is a 502.
 */
final class MetricsRoutes {
  private static final Logger log = LoggerFactory.getLogger(MetricsRoutes.class);
  private static final long LOOKUP_SECONDS = 10;
  private static final String AGENT_PREFIX = "/system/v1/metrics/v0/";

  private final AgentDirectory agents;
  private final TaskLocator tasks;
  private final Forwarder forwarder;
  private final ProxyPool pool;

  private final Map<String, String> agentHeaders;

  MetricsRoutes(AgentDirectory agents, TaskLocator tasks, Forwarder forwarder, ProxyPool pool,
      Map<String, String> agentHeaders) {
    this.agentHeaders = agentHeaders;
    this.agents = agents;
    this.tasks = tasks;
    this.forwarder = forwarder;
    this.pool = pool;
  }

  void install(RoutesConfig routes) {
    routes.get("/system/v1/agent/{agentId}/metrics/v0/<rest>", this::toAgent);
    routes.get("/system/v1/metrics/v0/containers/{taskId}", this::toTaskAgent);
    routes.get("/master/slaves", ctx -> {
      String body = AgentsJson.render(agents.agents().get(LOOKUP_SECONDS, TimeUnit.SECONDS)).toString();
      ctx.contentType("application/json; charset=utf-8").result(body);
    });
    routes.get("/metrics", ctx -> ctx.contentType(PrometheusText.CONTENT_TYPE)
        .result(prometheus(agents.counts().get(LOOKUP_SECONDS, TimeUnit.SECONDS))));
  }

  private void toAgent(Context ctx) {
    String agentId = ctx.pathParam("agentId");
    String rest = ctx.pathParam("rest");
    pool.submit(ctx, () -> {
      Optional<AgentEndpoint> found = agents.agent(agentId).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
      if (found.isEmpty()) {
        Replies.json(ctx, 404, "agent '" + agentId + "' is unknown to the master (see corral node list)");
        return;
      }
      AgentEndpoint a = found.get();
      StringBuilder path = new StringBuilder(AGENT_PREFIX);
      for (String segment : rest.split("/")) {
        path.append(path.length() == AGENT_PREFIX.length() ? "" : "/").append(enc(segment));
      }
      forward(ctx, a.id(), a.httpHost(), a.httpPort(), path.toString());
    }, e -> failed(ctx, e));
  }

  private void toTaskAgent(Context ctx) {
    String taskId = ctx.pathParam("taskId");
    pool.submit(ctx, () -> {
      Optional<TaskEndpoint> found = tasks.locate(taskId).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
      if (found.isEmpty()) {
        Replies.json(ctx, 404, "task '" + taskId + "' is unknown to the master (see corral task list)");
        return;
      }
      TaskEndpoint at = found.get();
      forward(ctx, at.agentId(), at.host(), at.httpPort(), AGENT_PREFIX + "containers/" + enc(taskId));
    }, e -> failed(ctx, e));
  }

  private void forward(Context ctx, String agentId, String host, int port, String path)
      throws InterruptedException {
    if (port <= 0) {
      Replies.json(ctx, 502, "agent " + agentId + " (" + host + ") serves no HTTP API; start it with --http-port");
      return;
    }
    String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    URI target = URI.create("http://" + hostPort + path);
    try {
      forwarder.forwardAndWait(ctx.req(), ctx.res(), target, agentHeaders, l -> l);
    } catch (IOException e) {
      if (!ctx.res().isCommitted()) {
        Replies.json(ctx, 502, "cannot reach agent " + agentId + " at " + hostPort + ": " + e);
      } else {
        log.debug("metrics from {} ended: {}", target, e.toString());
      }
    }
  }

  private static void failed(Context ctx, Throwable e) {
    if (!ctx.res().isCommitted()) {
      Replies.json(ctx, 500, "cannot forward: " + e);
    }
  }

  static String prometheus(MasterCounts counts) {
    PrometheusText text = new PrometheusText();
    counts.agentsByState().forEach((state, n) ->
        text.add("corral_master_agents", "gauge", "Agents the master knows, by state", Map.of("state", state), n));
    counts.frameworksByState().forEach((state, n) -> text.add("corral_master_frameworks", "gauge",
        "Frameworks the master knows, by state", Map.of("state", state), n));
    counts.tasksByState().forEach((state, n) ->
        text.add("corral_master_tasks", "gauge", "Tasks in the master's table, by state", Map.of("state", state), n));
    text.add("corral_master_offers", "gauge", "Offers outstanding", Map.of(), counts.offers());
    return text.render();
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
