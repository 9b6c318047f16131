package dev.corral.gateway;

import dev.corral.master.TaskEndpoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and sandbox files of any task through the one entry point: the master says which agent has the task,
 * and the request goes on to that agent's files API, its answer streamed back unchanged (event streams
 * included).
 * <ul>
 *   <li>{@code GET /system/v1/logs/tasks/{taskId}/{stdout|stderr}?lines=N[&follow=true]} →
 *       agent {@code /logs/v1/tasks/{taskId}/{file}};
 *   <li>{@code GET /system/v1/files/tasks/{taskId}/{browse|read|download}?path=…} →
 *       agent {@code /files/v1/tasks/{taskId}/{op}}.
 * </ul>
 * A task the master does not know is a 404 that says so; an agent that cannot be reached is a 502. Once the
 * task is found, the {@link AccessCheck} decides ({@link AccessCheck.TaskUse#LOGS}) with the app or pod the
 * task belongs to ({@link TaskOwner}): 401 or 403 before anything reaches the agent.
 */
final class TaskFilesRoutes {
  private static final Logger log = LoggerFactory.getLogger(TaskFilesRoutes.class);
  private static final Set<String> FILE_OPS = Set.of("browse", "read", "download");
  private static final long LOOKUP_SECONDS = 10;

  private final TaskLocator locator;
  private final TaskOwner owner;
  private final AccessCheck access;
  private final Forwarder forwarder;
  private final ProxyPool pool;

  private final java.util.Map<String, String> agentHeaders;

  TaskFilesRoutes(TaskLocator locator, TaskOwner owner, AccessCheck access, Forwarder forwarder, ProxyPool pool,
      java.util.Map<String, String> agentHeaders) {
    this.agentHeaders = agentHeaders;
    this.locator = locator;
    this.owner = owner;
    this.access = access;
    this.forwarder = forwarder;
    this.pool = pool;
  }

  void install(RoutesConfig routes) {
    routes.get("/system/v1/logs/tasks/{taskId}/{file}", ctx ->
        forward(ctx, "/logs/v1/tasks/", ctx.pathParam("file")));
    routes.get("/system/v1/files/tasks/{taskId}/{op}", ctx -> {
      if (!FILE_OPS.contains(ctx.pathParam("op"))) {
        Replies.json(ctx, 404, "no such files operation '" + ctx.pathParam("op") + "'; use browse, read or download");
        return;
      }
      forward(ctx, "/files/v1/tasks/", ctx.pathParam("op"));
    });
  }

  private void forward(Context ctx, String agentPrefix, String last) {
    String taskId = ctx.pathParam("taskId");
    pool.submit(ctx, () -> {
      Optional<TaskEndpoint> found = locate(taskId);
      if (found.isEmpty()) {
        Replies.json(ctx, 404, "task '" + taskId + "' is unknown to the master: it never ran, or it ended long "
            + "ago (see corral task list)");
        return;
      }
      TaskEndpoint at = found.get();
      AccessCheck.Denial denied = access.denyTask(ctx, AccessCheck.TaskUse.LOGS, taskId, owner.await(at));
      if (denied != null) {
        Replies.denial(ctx, denied);
        return;
      }
      if (at.httpPort() <= 0) {
        Replies.json(ctx, 502, "agent " + at.agentId() + " (" + at.host() + ") serves no files API; start it "
            + "with --http-port");
        return;
      }
      String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
      URI target = URI.create("http://" + hostPort(at) + agentPrefix + enc(taskId) + "/" + enc(last) + query);
      try {
        forwarder.forwardAndWait(ctx.req(), ctx.res(), target, agentHeaders, l -> l);
      } catch (IOException e) {
        if (!ctx.res().isCommitted()) {
          Replies.json(ctx, 502, "cannot reach agent " + at.agentId() + " at " + hostPort(at) + ": " + e);
        } else {
          log.debug("stream of {} ended: {}", target, e.toString());
        }
      }
    }, e -> {
      if (!ctx.res().isCommitted()) {
        Replies.json(ctx, 500, "cannot forward: " + e);
      }
    });
  }

  private Optional<TaskEndpoint> locate(String taskId)
      throws InterruptedException, ExecutionException, TimeoutException {
    return locator.locate(taskId).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
  }

  private static String hostPort(TaskEndpoint at) {
    String host = at.host().contains(":") && !at.host().startsWith("[") ? "[" + at.host() + "]" : at.host();
    return host + ":" + at.httpPort();
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
