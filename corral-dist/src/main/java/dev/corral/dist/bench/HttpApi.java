package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the Marathon API for benchmarks: plain HTTP/1.1, JSON in and out. Thread-safe. */
final class HttpApi {
  /** One answer. */
  record Answer(int status, String body) {
    JsonNode json() throws IOException {
      return Json.mapper().readTree(body);
    }
  }

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  HttpApi(String base) {
    this.base = base;
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Answer post(String path, ObjectNode body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  Answer put(String path, JsonNode body) throws IOException, InterruptedException {
    return put(path, body, DEFAULT_TIMEOUT);
  }

  /** With a timeout of its own: an exchange that gets no answer in time fails (HttpTimeoutException). */
  Answer put(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())), timeout);
  }

  Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  /** POSTs an app and insists on 201. */
  void createApp(ObjectNode app) throws IOException, InterruptedException {
    Answer a = post("/v2/apps", app);
    if (a.status() != 201) {
      throw new IllegalStateException("POST /v2/apps " + app.path("id").asText() + " answered " + a.status() + ": "
          + a.body());
    }
  }

  /**
   * An app of {@code instances} copies of {@code sleep 3600}, small enough to pack many per agent, with
   * Marathon's default of one port (a service port and a host port per task).
   */
  static ObjectNode sleepApp(String id, int instances) {
    return Json.mapper().createObjectNode().put("id", id).put("cmd", "sleep 3600").put("cpus", 0.1).put("mem", 32)
        .put("instances", instances);
  }

  /**
   * The same without ports: thousands of apps with a port each would use up the service port range
   * (10000–20000, 10,001 ports, as in Marathon).
   */
  static ObjectNode portlessSleepApp(String id, int instances) {
    ObjectNode app = sleepApp(id, instances);
    app.putArray("portDefinitions");
    return app;
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return send(request, DEFAULT_TIMEOUT);
  }

  private Answer send(HttpRequest.Builder request, Duration timeout) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }
}
