package dev.corral.agent.files;

import io.javalin.Javalin;
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
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
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
