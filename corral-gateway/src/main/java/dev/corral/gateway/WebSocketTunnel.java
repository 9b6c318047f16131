package dev.corral.gateway;

import dev.corral.common.ExecFrames;
import dev.corral.common.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * Tunnels WebSockets to another server, message for message in both directions, text and binary alike; a
 * close on either side closes the other with its code and reason. Used for {@code task exec} (to the
 * task's agent), {@code /service/<name>/} (to a task) and by standby masters (to the leader).
 *
 * <p>The upstream connection is opened in the route's before-upgrade handler, before the client's upgrade is
 * accepted, so every refusal reaches the client as plain HTTP ({@link ExecProxy.Refused}): the upstream's own
 * handshake refusal with its status, 502 when it cannot be reached.
 *
 * <p>Flow control as in {@link ExecProxy}: the next upstream message is asked for only once the previous one
 * went out to the client; a client's message is sent on before its next one is read.
 */
final class WebSocketTunnel {
  private static final Logger log = LoggerFactory.getLogger(WebSocketTunnel.class);
  private static final String UPSTREAM = "corral.ws.upstream";
  private static final long CONNECT_SECONDS = 10;
  private static final long SEND_SECONDS = 30;
  private static final long PING_SECONDS = 15;
  /** The largest message passed on, each way; a larger one closes the tunnel with 1009. */
  static final long MAX_MESSAGE = 16L << 20;
  /** Headers the handshake sets itself, hop-by-hop ones, and those the JDK client refuses to set. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "upgrade", "host", "content-length",
      "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
      "sec-websocket-accept", "keep-alive", "te", "trailer", "transfer-encoding", "proxy-authorization",
      "proxy-connection", "expect");

  /** Which of the client's headers go upstream: the header's name in lower case and one value; null drops it. */
  interface HeaderPolicy {
    String forward(String lowerName, String header, String value);
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Upstream> open = new ConcurrentHashMap<>();

  /** Headers of the client that go upstream: none. */
  static final HeaderPolicy NO_CLIENT_HEADERS = (lower, header, value) -> null;

  /** Tunnels upgrades on {@code path}; {@code beforeUpgrade} refuses or calls {@link #connect}. */
  void install(RoutesConfig routes, String path, Handler beforeUpgrade) {
    routes.wsBeforeUpgrade(path, beforeUpgrade);
    routes.ws(path, ws -> {
      ws.onConnect(this::bind);
      ws.onMessage(ctx -> upstream(ctx, u -> u.peer.sendText(ctx.message(), true)));
      ws.onBinaryMessage(ctx -> upstream(ctx, u -> u.peer.sendBinary(ctx.data(), true)));
      ws.onClose(ctx -> clientGone(ctx, ctx.status(), ctx.reason()));
      ws.onError(ctx -> clientGone(ctx, 1011, "client error"));
    });
  }

  /**
   * Opens the upstream side of the client's upgrade: the client's headers as {@code headers} lets them through
   * (never those of the handshake itself or hop-by-hop ones), plus {@code extra}, and the subprotocols the
   * client offers. {@code who} names the upstream in refusals ("task t of /app").
   */
  void connect(Context ctx, URI target, String who, HeaderPolicy headers, Map<String, String> extra)
      throws ExecProxy.Refused, InterruptedException {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(CONNECT_SECONDS));
    Set<String> listed = Forwarder.connectionListed(ctx.req());
    for (String header : Collections.list(ctx.req().getHeaderNames())) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (NOT_FORWARDED.contains(lower) || (listed.contains(lower) && !lower.equals("upgrade"))) {
        continue;
      }
      for (String value : Collections.list(ctx.req().getHeaders(header))) {
        String kept = headers.forward(lower, header, value);
        if (kept != null) {
          setHeader(builder, header, kept);
        }
      }
    }
    extra.forEach((name, value) -> setHeader(builder, name, value));
    List<String> protocols = subprotocols(ctx.header("Sec-WebSocket-Protocol"));
    if (!protocols.isEmpty()) {
      builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(new String[0]));
    }
    Upstream up = new Upstream(target);
    try {
      up.peer = builder.buildAsync(target, up).get(CONNECT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        throw new ExecProxy.Refused(status >= 400 ? status : 502, messageOf(h.getResponse().body(),
            who + " did not accept the WebSocket upgrade (HTTP " + status + ")"));
      }
      throw new ExecProxy.Refused(502, who + " did not answer: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ExecProxy.Refused(502, who + " did not answer in time");
    }
    if (!up.peer.getSubprotocol().isEmpty()) {
      ctx.header("Sec-WebSocket-Protocol", up.peer.getSubprotocol());
    }
    ctx.attribute(UPSTREAM, up);
    // an upgrade that never completes must not leave the upstream connection open
    CompletableFuture.delayedExecutor(CONNECT_SECONDS, TimeUnit.SECONDS).execute(up::abortUnlessBound);
  }

  /** The upstream's {@code {"message": ...}} if its refusal kept one (Corral's agents answer so), else {@code fallback}. */
  private static String messageOf(Object body, String fallback) {
    String text = body instanceof String ? (String) body : body instanceof byte[]
        ? new String((byte[]) body, StandardCharsets.UTF_8) : null;
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      String m = Json.mapper().readTree(text).path("message").asText("");
      return m.isEmpty() ? fallback : m;
    } catch (java.io.IOException e) {
      return fallback;
    }
  }

  private static void setHeader(WebSocket.Builder builder, String name, String value) {
    try {
      builder.header(name, value);
    } catch (IllegalArgumentException e) {
      // a header the JDK client sets itself: the upstream gets its own value
    }
  }

  private void bind(WsConnectContext ctx) {
    Upstream up = ctx.attribute(UPSTREAM);
    if (up == null || !up.bind(ctx)) {
      ctx.closeSession(1011, "the upstream connection is gone");
      return;
    }
    open.put(ctx.sessionId(), up);
    // Jetty's default of 64 KiB per message is the server's choice to make, not the proxy's
    ctx.session.setMaxTextMessageSize(MAX_MESSAGE);
    ctx.session.setMaxBinaryMessageSize(MAX_MESSAGE);
    ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
  }

  private interface Send {
    CompletableFuture<WebSocket> apply(Upstream up);
  }

  private void upstream(WsContext ctx, Send send) {
    Upstream up = open.get(ctx.sessionId());
    if (up == null) {
      return;
    }
    try {
      send.apply(up).get(SEND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("WebSocket to {}: message lost: {}", up.target, e.toString());
      ctx.closeSession(1011, "the upstream connection failed");
    }
  }

  private void clientGone(WsContext ctx, int code, String reason) {
    Upstream up = open.remove(ctx.sessionId());
    if (up != null) {
      up.close(code, reason);
    }
  }

  static List<String> subprotocols(String header) {
    List<String> out = new ArrayList<>();
    if (header != null) {
      for (String p : header.split(",")) {
        if (!p.isBlank()) {
          out.add(p.trim());
        }
      }
    }
    return out;
  }

  /** The upstream side of one tunnel. */
  private static final class Upstream implements WebSocket.Listener {
    private final URI target;
    private final StringBuilder text = new StringBuilder();
    private final ExecFrames.Reassembler binary = new ExecFrames.Reassembler();
    private volatile WebSocket peer;
    private WsContext clientCtx; // guarded by this

    Upstream(URI target) {
      this.target = target;
    }

    synchronized boolean bind(WsContext ctx) {
      if (peer == null || peer.isInputClosed()) {
        return false;
      }
      clientCtx = ctx;
      peer.request(1);
      return true;
    }

    synchronized void abortUnlessBound() {
      if (clientCtx == null && peer != null) {
        peer.abort();
      }
    }

    void close(int code, String reason) {
      if (!peer.isOutputClosed()) {
        peer.sendClose(sendable(code, WebSocket.NORMAL_CLOSURE), reason == null ? "" : reason).exceptionally(e -> {
          peer.abort();
          return null;
        });
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      // no request(1) yet: nothing is read upstream before the client is there to take it
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        Callback.Completable sent = new Callback.Completable();
        client().session.sendText(message, sent);
        await(webSocket, sent);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      ByteBuffer message = binary.add(data, last);
      if (message != null) {
        Callback.Completable sent = new Callback.Completable();
        client().session.sendBinary(message, sent);
        await(webSocket, sent);
      }
      webSocket.request(1);
      return null;
    }

    private void await(WebSocket webSocket, Callback.Completable sent) {
      try {
        sent.get(SEND_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.debug("WebSocket from {}: client gone: {}", target, e.toString());
        webSocket.abort();
      }
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
      log.debug("WebSocket to {} failed: {}", target, error.toString());
      WsContext ctx = client();
      if (ctx != null) {
        ctx.closeSession(1011, "the upstream connection failed");
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
