package dev.corral.agent.files;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's HTTP server (Javalin on Jetty, as the master's): the {@link FilesApi} and the routes added
 * beside it (metrics). Started before the
 * agent registers, so that the port it advertises is already open.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final FilesApi api;
  private final Javalin server;

  private AgentHttpServer(FilesApi api, Javalin server) {
    this.api = api;
    this.server = server;
  }

  /** Listens on {@code bindAddress:port} (0 picks a free port). */
  public static AgentHttpServer start(FilesApi api, String bindAddress, int port) {
    return start(api, List.of(), bindAddress, port);
  }

  /** With more routes beside the files API's (e.g. the metrics'). */
  public static AgentHttpServer start(FilesApi api, List<Consumer<JavalinConfig>> more, String bindAddress,
      int port) {
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      api.install(config);
      more.forEach(m -> m.accept(config));
    });
    try {
      server.start(bindAddress, port);
    } catch (RuntimeException e) {
      api.close();
      throw new IllegalStateException("the agent cannot serve HTTP on " + bindAddress + ":" + port
          + " (in use? pass --http-port): " + e.getMessage(), e);
    }
    return new AgentHttpServer(api, server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    api.close(); // interrupts the followers first: the server's stop would wait for their open requests
    server.stop();
  }
}
