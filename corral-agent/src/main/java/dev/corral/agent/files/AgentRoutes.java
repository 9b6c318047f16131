package dev.corral.agent.files;

import io.javalin.config.JavalinConfig;

/** More routes on the agent's HTTP server beside the files API (exec), so this package needs none of them. */
public interface AgentRoutes extends AutoCloseable {
  /** Adds the routes; touches no other setting. */
  void install(JavalinConfig config);

  /** Ends what the routes still run; called before the server stops. */
  @Override
  void close();

  /** Routes that hold nothing open (request-response only). */
  static AgentRoutes of(java.util.function.Consumer<JavalinConfig> install) {
    return new AgentRoutes() {
      @Override
      public void install(JavalinConfig config) {
        install.accept(config);
      }

      @Override
      public void close() {}
    };
  }
}
