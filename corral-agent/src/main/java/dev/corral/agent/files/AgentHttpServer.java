package dev.corral.agent.files;

import io.javalin.Javalin;

/**
 * The agent's HTTP server (Javalin on Jetty, as the master's): the {@link FilesApi} and, when given, more
 * {@link AgentRoutes} (exec). Started before the
 * agent registers, so that the port it advertises is already open.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final FilesApi api;
  private final AgentRoutes exec;
  private final Javalin server;

  private AgentHttpServer(FilesApi api, AgentRoutes exec, Javalin server) {
    this.api = api;
    this.exec = exec;
    this.server = server;
  }

  /** Listens on {@code bindAddress:port} (0 picks a free port). */
  public static AgentHttpServer start(FilesApi api, String bindAddress, int port) {
    return start(api, null, bindAddress, port);
  }

  /** With {@code exec} (may be null) beside the files API; it is closed with the server. */
  public static AgentHttpServer start(FilesApi api, AgentRoutes exec, String bindAddress, int port) {
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      api.install(config);
      if (exec != null) {
        exec.install(config);
      }
    });
    try {
      server.start(bindAddress, port);
    } catch (RuntimeException e) {
      api.close();
      if (exec != null) {
        exec.close();
      }
      throw new IllegalStateException("the agent cannot serve HTTP on " + bindAddress + ":" + port
          + " (in use? pass --http-port): " + e.getMessage(), e);
    }
    return new AgentHttpServer(api, exec, server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    api.close(); // interrupts the followers first: the server's stop would wait for their open requests
    if (exec != null) {
      exec.close(); // exec'd commands die with the agent's server, as with a client that went away
    }
    server.stop();
  }
}
