package dev.corral.services;

import io.javalin.Javalin;
import java.net.URI;

/** Serves a {@link MarathonApi} on a free port for tests, exactly as the launcher mounts it. */
public final class MarathonTestServer implements AutoCloseable {
  private final Javalin javalin;

  private MarathonTestServer(Javalin javalin) {
    this.javalin = javalin;
  }

  public static MarathonTestServer start(ServiceScheduler scheduler) {
    MarathonApi api = new MarathonApi(scheduler);
    return new MarathonTestServer(Javalin.create(api::install).start("127.0.0.1", 0));
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + javalin.port() + pathAndQuery);
  }

  @Override
  public void close() {
    javalin.stop();
  }
}
