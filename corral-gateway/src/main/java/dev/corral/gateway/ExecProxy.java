package dev.corral.gateway;

import dev.corral.common.ExecFrames;
import dev.corral.master.TaskEndpoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
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
 * <p>Why the JDK's {@link WebSocket} towards the agent rather than Jetty's client: as for {@link Forwarder},
 * it is in the JDK (no pinning to the Jetty version Javalin brings, no client lifecycle to manage), and its
 * {@code request(n)} flow control gives back-pressure for free: the next message from the agent is asked for
 * only once the previous one went out to the client.
 */
final class ExecProxy {
  static final String PATH = "/system/v1/exec/tasks/{taskId}";
  private static final Logger log = LoggerFactory.getLogger(ExecProxy.class);
  private static final String UPSTREAM = "corral.exec.upstream";
  private static final long LOOKUP_SECONDS = 10;
  private static final long CONNECT_SECONDS = 10;
  private static final long SEND_SECONDS = 30;
  private static final long PING_SECONDS = 15;

  private final TaskLocator locator;
  private final TaskOwner owner;
  private final AccessCheck access;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Upstream> open = new ConcurrentHashMap<>();

  private final Map<String, String> agentHeaders;

  ExecProxy(TaskLocator locator, TaskOwner owner, AccessCheck access, Map<String, String> agentHeaders) {
    this.agentHeaders = agentHeaders;
    this.locator = locator;
    this.owner = owner;
    this.access = access;
  }

  void install(RoutesConfig routes) {
    routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
    routes.ws(PATH, ws -> {
      ws.onConnect(this::connect);
      ws.onBinaryMessage(ctx -> {
        Upstream up = open.get(ctx.sessionId());
        if (up != null) {
          up.toAgent(ctx.data());
        }
      });
      ws.onClose(ctx -> clientGone(ctx, ctx.status(), ctx.reason()));
      ws.onError(ctx -> clientGone(ctx, WebSocket.NORMAL_CLOSURE, "client error"));
    });
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
    Upstream up = new Upstream(taskId);
    try {
      WebSocket.Builder toAgent = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(CONNECT_SECONDS));
      agentHeaders.forEach(toAgent::header);
      up.agent = toAgent.buildAsync(target, up).get(CONNECT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException) {
        WebSocketHandshakeException h = (WebSocketHandshakeException) e.getCause();
        int status = h.getResponse().statusCode();
        Object body = h.getResponse().body();
        throw new Refused(status, agentMessage(body, "agent " + at.agentId() + " refused the exec (HTTP "
            + status + ")"));
      }
      throw new Refused(502, "cannot reach agent " + at.agentId() + " at " + hostPort(at) + ": " + e.getCause());
    } catch (TimeoutException e) {
      throw new Refused(502, "agent " + at.agentId() + " at " + hostPort(at) + " did not answer in time");
    }
    ctx.attribute(UPSTREAM, up);
    // an upgrade that never completes must not leave the agent's command running
    CompletableFuture.delayedExecutor(CONNECT_SECONDS, TimeUnit.SECONDS).execute(up::abortUnlessBound);
  }

  private void connect(WsConnectContext ctx) {
    Upstream up = ctx.attribute(UPSTREAM);
    if (up == null || !up.bind(ctx)) {
      ctx.closeSession(1011, "the agent's connection is gone");
      return;
    }
    open.put(ctx.sessionId(), up);
    ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
  }

  private void clientGone(WsContext ctx, int code, String reason) {
    Upstream up = open.remove(ctx.sessionId());
    if (up != null) {
      up.closeAgent(code, reason);
    }
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

  /** The agent's {@code {"message": …}} if the handshake kept it, else {@code fallback}. */
  private static String agentMessage(Object body, String fallback) {
    String text = body instanceof String ? (String) body : body instanceof byte[]
        ? new String((byte[]) body, StandardCharsets.UTF_8) : null;
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      String m = dev.corral.common.Json.mapper().readTree(text).path("message").asText("");
      return m.isEmpty() ? fallback : m;
    } catch (java.io.IOException e) {
      return fallback;
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

  /**
   * The agent's side of one exec. Messages from the agent are asked for one at a time, and only once the
   * client is connected; each is sent to the client (blocking) before the next is asked for.
   */
  private static final class Upstream implements WebSocket.Listener {
    private final String taskId;
    private final ExecFrames.Reassembler frames = new ExecFrames.Reassembler();
    private volatile WebSocket agent;
    private WsContext clientCtx; // guarded by this

    Upstream(String taskId) {
      this.taskId = taskId;
    }

    synchronized boolean bind(WsContext ctx) {
      if (agent == null || agent.isInputClosed()) {
        return false;
      }
      clientCtx = ctx;
      agent.request(1);
      return true;
    }

    synchronized void abortUnlessBound() {
      if (clientCtx == null && agent != null) {
        agent.abort();
      }
    }

    void toAgent(ByteBuffer frame) {
      try {
        agent.sendBinary(frame, true).get(SEND_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.debug("exec in {}: frame to the agent lost: {}", taskId, e.toString());
      }
    }

    void closeAgent(int code, String reason) {
      if (!agent.isOutputClosed()) {
        agent.sendClose(sendable(code, WebSocket.NORMAL_CLOSURE), reason == null ? "" : reason).exceptionally(e -> {
          agent.abort();
          return null;
        });
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      // no request(1) yet: nothing is read from the agent before the client is there to take it
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      ByteBuffer frame = frames.add(data, last);
      if (frame != null) {
        WsContext ctx = client();
        Callback.Completable sent = new Callback.Completable();
        ctx.session.sendBinary(frame, sent);
        try {
          sent.get(SEND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          log.debug("exec in {}: client gone: {}", taskId, e.toString());
          webSocket.abort();
          return null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      WsContext ctx = client();
      if (ctx != null) {
        ctx.closeSession(sendable(statusCode, 1011), reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      log.debug("exec in {}: agent connection failed: {}", taskId, error.toString());
      WsContext ctx = client();
      if (ctx != null) {
        ctx.closeSession(1011, "the agent's connection failed");
      }
    }

    /** Codes a close frame may carry; the others (1005, 1006, 1015: local conditions) become {@code fallback}. */
    private static int sendable(int code, int fallback) {
      return code == 1000 || code == 1001 || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999)
          ? code : fallback;
    }

    private synchronized WsContext client() {
      return clientCtx;
    }
  }
}
