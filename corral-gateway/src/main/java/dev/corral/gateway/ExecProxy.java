package dev.corral.gateway;

import dev.corral.master.TaskEndpoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code corral task exec} through the one entry point: the WebSocket
 * {@code /system/v1/exec/tasks/{taskId}?QUERY} is passed through to the agent that runs the task, at its
 * {@code /exec/v1/tasks/{taskId}?QUERY}, message for message in both directions (the frames are the
 * agent's, see {@code dev.corral.common.ExecFrames}); a close on either side closes the other.
 *
 * <p>The agent's connection is opened before the client's upgrade is accepted, so every refusal reaches the
 * client as plain HTTP: 404 a task the master does not know, 401 or 403 from the {@link AccessCheck}
 * ({@link AccessCheck.TaskUse#EXEC}, asked with the app or pod the task belongs to, {@link TaskOwner}), 502 an agent without HTTP or out of reach, and the agent's own refusals (404, 409,
 * 503) with their status.
 *
 * <p>The tunnel is {@link WebSocketTunnel}'s: the JDK's WebSocket client towards the agent (no pinning to
 * the Jetty version Javalin brings), whose {@code request(n)} flow control gives back-pressure for free.
 */
final class ExecProxy {
  static final String PATH = "/system/v1/exec/tasks/{taskId}";
  private static final Logger log = LoggerFactory.getLogger(ExecProxy.class);
  private static final long LOOKUP_SECONDS = 10;

  private final TaskLocator locator;
  private final TaskOwner owner;
  private final AccessCheck access;
  private final WebSocketTunnel tunnel = new WebSocketTunnel();
  private final Map<String, String> agentHeaders;

  ExecProxy(TaskLocator locator, TaskOwner owner, AccessCheck access, Map<String, String> agentHeaders) {
    this.agentHeaders = agentHeaders;
    this.locator = locator;
    this.owner = owner;
    this.access = access;
  }

  void install(RoutesConfig routes) {
    tunnel.install(routes, PATH, this::beforeUpgrade);
  }

  private void beforeUpgrade(Context ctx) throws Exception {
    String taskId = ctx.pathParam("taskId");
    Optional<TaskEndpoint> found = locator.locate(taskId).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
    if (found.isEmpty()) {
      throw new Refused(404, "task '" + taskId + "' is unknown to the master: it never ran, or it ended long ago "
          + "(see corral task list)");
    }
    TaskEndpoint at = found.get();
    AccessCheck.Denial denied = access.denyTask(ctx, AccessCheck.TaskUse.EXEC, taskId, owner.await(at));
    if (denied != null) {
      throw new Refused(denied.status(), denied.message(), denied.json());
    }
    if (at.httpPort() <= 0) {
      throw new Refused(502, "agent " + at.agentId() + " (" + at.host() + ") serves no HTTP API; start it with "
          + "--http-port");
    }
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI target = URI.create("ws://" + hostPort(at) + "/exec/v1/tasks/" + enc(taskId) + query);
    // the agent trusts the gateway's own credentials, never the caller's headers
    tunnel.connect(ctx, target, "agent " + at.agentId() + " at " + hostPort(at), WebSocketTunnel.NO_CLIENT_HEADERS,
        agentHeaders);
  }

  /**
   * Answers a refused upgrade as {@code {"message": …}}. Written straight to the response: Javalin drops the
   * result of an exception handler that runs before an upgrade.
   */
  static void refuse(Context ctx, Refused e) {
    byte[] body = (e.body != null ? e.body : dev.corral.common.Json.mapper().createObjectNode()
        .put("message", e.getMessage()).toString()).getBytes(StandardCharsets.UTF_8);
    int status = e.status;
    try {
      if (status == 401) {
        ctx.res().setHeader("WWW-Authenticate", "acsjwt realm=\"corral\"");
      }
      ctx.res().setStatus(status);
      ctx.res().setContentType("application/json; charset=utf-8");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
    } catch (java.io.IOException io) {
      log.debug("refusal not delivered: {}", io.toString()); // the client went away
    }
  }

  private static String hostPort(TaskEndpoint at) {
    String host = at.host().contains(":") && !at.host().startsWith("[") ? "[" + at.host() + "]" : at.host();
    return host + ":" + at.httpPort();
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A refusal before the upgrade; {@link Gateway} answers it as {@code {"message": …}} with its status. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    /** The whole answer's JSON; null for {@code {"message": …}}. */
    final String body;

    Refused(int status, String message) {
      this(status, message, null);
    }

    Refused(int status, String message, String body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }
}
