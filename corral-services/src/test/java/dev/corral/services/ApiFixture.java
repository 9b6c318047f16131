package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import dev.corral.common.ThreadEventLoop;
import dev.corral.state.MemoryStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * A running service scheduler (real event-loop thread, in-memory store, fake driver, subscribed as "fw-1")
 * behind a real Javalin server on a free port, and a {@link HttpClient} to talk to it.
 */
public final class ApiFixture implements AutoCloseable {
  public final MemoryStore store = new MemoryStore();
  public final ThreadEventLoop loop = new ThreadEventLoop("services-test", Clock.systemUTC());
  public final FakeDriver driver = new FakeDriver();
  public final ServiceScheduler scheduler;
  public final MarathonTestServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public record Response(int status, String raw, JsonNode json, HttpResponse<String> http) {
    public String header(String name) {
      return http.headers().firstValue(name).orElse(null);
    }
  }

  public ApiFixture() {
    scheduler = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"), store, loop,
        driver::create);
    scheduler.start();
    driver.scheduler().subscribed("fw-1");
    server = MarathonTestServer.start(scheduler);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(server.uri(path)).GET());
  }

  /** GET with an Accept header (text/plain task lists). */
  public Response get(String path, String accept) {
    return send(HttpRequest.newBuilder(server.uri(path)).header("Accept", accept).GET());
  }

  public Response post(String path, String body) {
    return send(HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  public Response put(String path, String body) {
    return send(HttpRequest.newBuilder(server.uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  /** Any method with a JSON body (PATCH). */
  public Response send(String method, String path, String body) {
    return send(HttpRequest.newBuilder(server.uri(path)).method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(server.uri(path)).DELETE());
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
      } catch (IOException e) {
        // not JSON (e.g. /ping)
      }
      return new Response(r.statusCode(), r.body(), json, r);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    scheduler.close();
    loop.shutdown();
  }
}
