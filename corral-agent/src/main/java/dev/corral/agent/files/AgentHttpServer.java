package dev.corral.agent.files;

import dev.corral.api.ClusterSecret;
import dev.corral.common.HttpServers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's HTTP server (Javalin on Jetty, as the master's): the {@link FilesApi} and, when given, more
 * {@link AgentRoutes} (metrics, exec). Started before the
 * agent registers, so that the port it advertises is already open.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final FilesApi api;
  private final List<AgentRoutes> more;
  private final Javalin server;

  private AgentHttpServer(FilesApi api, List<AgentRoutes> more, Javalin server) {
    this.api = api;
    this.more = List.copyOf(more);
    this.server = server;
  }

  /** Listens on {@code bindAddress:port} (0 picks a free port). */
  public static AgentHttpServer start(FilesApi api, String bindAddress, int port) {
    return start(api, List.of(), bindAddress, port);
  }

  /** With more routes beside the files API's (metrics, exec); they are closed with the server. */
  public static AgentHttpServer start(FilesApi api, List<AgentRoutes> more, String bindAddress, int port) {
    return start(api, more, bindAddress, port, null);
  }

  /**
   * As above; with a {@code secret}, every request (exec's WebSocket upgrades included) must carry it in
   * {@link ClusterSecret#HTTP_HEADER}: the gateway does, with the caller's permissions already checked.
   */
  public static AgentHttpServer start(FilesApi api, List<AgentRoutes> more, String bindAddress, int port,
      String secret) {
    ClusterSecret required = secret == null ? null : ClusterSecret.of(secret);
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.responseBufferSize = HttpServers.RESULT_COPY_BUFFER;
      if (required != null) {
        config.routes.before(ctx -> requireSecret(required, ctx));
        config.routes.wsBeforeUpgrade(ctx -> requireSecret(required, ctx));
        config.routes.exception(NoSecret.class, (e, ctx) -> refuse(ctx));
      }
      api.install(config);
      more.forEach(m -> m.install(config));
    });
    try {
      server.start(bindAddress, port);
    } catch (RuntimeException e) {
      api.close();
      more.forEach(AgentRoutes::close);
      throw new IllegalStateException("the agent cannot serve HTTP on " + bindAddress + ":" + port
          + " (in use? pass --http-port): " + e.getMessage(), e);
    }
    return new AgentHttpServer(api, more, server);
  }

  private static void requireSecret(ClusterSecret required, Context ctx) {
    if (!required.matches(ctx.header(ClusterSecret.HTTP_HEADER))) {
      throw new NoSecret();
    }
  }

  // Written straight to the response: Javalin drops an exception handler's result before an upgrade.
  private static void refuse(Context ctx) {
    byte[] body = "{\"message\":\"this agent answers the cluster's gateway only (it requires the cluster secret)\"}"
        .getBytes(StandardCharsets.UTF_8);
    try {
      ctx.res().setStatus(401);
      ctx.res().setContentType("application/json; charset=utf-8");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
    } catch (java.io.IOException e) {
      // the client went away
    }
  }

  private static final class NoSecret extends RuntimeException {
    NoSecret() {
      super("no cluster secret", null, false, false);
    }
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    api.close(); // interrupts the followers first: the server's stop would wait for their open requests
    more.forEach(AgentRoutes::close); // exec'd commands die with the agent's server, as with a client that left
    server.stop();
  }
}
