package dev.corral.gateway;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby master's whole HTTP API: every request (Marathon, Metronome, Cosmos, operator, logs, metrics,
 * the UI) is forwarded to the leading master and its answer streamed back, so that clients may talk to any
 * master. Without a leader (during an election) the answer is 503, which clients retry. WebSockets (exec,
 * {@code /service/<name>/}) are tunnelled to the same path on the leader ({@link WebSocketTunnel}), the
 * client's credentials with them: the leader decides, as for every forwarded request.
 *
 * <p>A request that already passed through a standby is refused rather than forwarded again, so that two
 * standbys with stale views cannot bounce a request between them. It happens while leadership moves (the
 * former leader stands by before ZooKeeper tells the others), so the answer is the same 503 with
 * {@code Retry-After} as during an election: a 2xx is never lost by it, and clients retry. Thread-safe.
 */
public final class LeaderProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderProxy.class);
  /** Marks a request forwarded by a standby. */
  public static final String HOP_HEADER = "X-Corral-Standby";
  private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
      HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

  private final Supplier<Optional<String>> leaderHttp;
  private final String self;
  private final Forwarder forwarder = Forwarder.toGateway(Duration.ofSeconds(5));
  private final ProxyPool pool = new ProxyPool(512);
  private final WebSocketTunnel tunnel = new WebSocketTunnel();
  private volatile Supplier<Optional<String>> outage = Optional::empty;

  /**
   * @param leaderHttp the leader's HTTP host:port, empty while none is known
   * @param self this master's name, added to forwarded requests
   */
  public LeaderProxy(Supplier<Optional<String>> leaderHttp, String self) {
    this.leaderHttp = leaderHttp;
    this.self = self;
  }

  /**
   * While {@code reason} gives a reason (this master has lost ZooKeeper, say), every request is answered 503
   * with it instead of being forwarded: what this master last heard about the leader cannot be trusted then.
   */
  public LeaderProxy withOutage(Supplier<Optional<String>> reason) {
    this.outage = reason;
    return this;
  }

  public void install(JavalinConfig config) {
    Handler handler = this::handle;
    for (HandlerType method : METHODS) {
      config.routes.addHttpHandler(method, "/", handler);
      config.routes.addHttpHandler(method, "/<path>", handler);
    }
    tunnel.install(config.routes, "/<path>", this::beforeUpgrade);
    config.routes.exception(ExecProxy.Refused.class, (e, ctx) -> ExecProxy.refuse(ctx, e));
  }

  private void beforeUpgrade(Context ctx) throws Exception {
    if (ctx.header(HOP_HEADER) != null) {
      throw new ExecProxy.Refused(503, bounced(ctx));
    }
    Optional<String> cut = outage.get();
    if (cut.isPresent()) {
      throw new ExecProxy.Refused(503, cut.get());
    }
    Optional<String> leader = leaderHttp.get();
    if (leader.isEmpty()) {
      throw new ExecProxy.Refused(503, "no leading master yet (election in progress); retry shortly");
    }
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI target = URI.create("ws://" + leader.get() + ctx.req().getRequestURI() + query);
    tunnel.connect(ctx, target, "the leading master at " + leader.get(), (lower, header, value) -> value,
        Map.of(HOP_HEADER, self, "X-Forwarded-For", ctx.ip()));
  }

  private void handle(Context ctx) {
    // No connection to a standby outlives its exchange: a standby that wins the election stops this server,
    // and a stopping Jetty can leave an idle kept-alive connection open and unserved (a request sent on it
    // then waits for the client's timeout; jetty/jetty.project#12435). A new connection is refused instead.
    ctx.header("Connection", "close");
    if (ctx.header(HOP_HEADER) != null) {
      ctx.header("Retry-After", "1");
      Replies.json(ctx, 503, bounced(ctx));
      return;
    }
    Optional<String> cut = outage.get();
    if (cut.isPresent()) {
      ctx.header("Retry-After", "1");
      Replies.json(ctx, 503, cut.get());
      return;
    }
    Optional<String> leader = leaderHttp.get();
    if (leader.isEmpty()) {
      ctx.header("Retry-After", "1");
      Replies.json(ctx, 503, "no leading master yet (election in progress); retry shortly");
      return;
    }
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI target = URI.create("http://" + leader.get() + ctx.req().getRequestURI() + query);
    Map<String, String> forwarded = Map.of(
        HOP_HEADER, self,
        "X-Forwarded-Host", ctx.host() == null ? "" : ctx.host(),
        "X-Forwarded-Proto", ctx.scheme(),
        "X-Forwarded-For", ctx.ip());
    pool.start(ctx, () -> forwarder.forward(ctx.req(), ctx.res(), target, forwarded, l -> l), e -> {
      if (ctx.res().isCommitted()) {
        log.debug("forwarded exchange with {} ended: {}", target, e.toString());
      } else if (e instanceof IOException) {
        ctx.header("Retry-After", "1");
        Replies.json(ctx, 503, "the leading master at " + leader.get() + " did not answer: " + e.getMessage());
      } else {
        Replies.json(ctx, 500, "proxy error: " + e);
      }
    });
  }

  private static String bounced(Context ctx) {
    return "masters disagree on who leads (forwarded by " + ctx.header(HOP_HEADER)
        + " to a master that no longer leads): leadership is moving; retry shortly";
  }

  @Override
  public void close() {
    pool.close();
    forwarder.close();
  }
}
