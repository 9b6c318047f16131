package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A small client of the Marathon API v2 for tests. */
final class Marathon {
  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Marathon(int port) {
    this("127.0.0.1", port);
  }

  Marathon(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** GET with an Accept header (Marathon's text/plain task list). */
  Response get(String path, String accept) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET());
  }

  Response post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response put(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Response send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** The app's tasks in the given state. */
  List<JsonNode> tasks(String appId, String state) throws Exception {
    Response r = get("/v2/apps" + appId + "/tasks");
    List<JsonNode> out = new ArrayList<>();
    if (r.status() != 200) {
      return out;
    }
    for (JsonNode t : r.json().path("tasks")) {
      if (state == null || state.equals(t.path("state").asText())) {
        out.add(t);
      }
    }
    return out;
  }

  /** Waits until the app's tasks satisfy {@code ok}; returns them. */
  List<JsonNode> awaitTasks(String appId, Predicate<List<JsonNode>> ok, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> tasks = tasks(appId, null);
    while (!ok.test(tasks)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("tasks of " + appId + " never matched within " + timeout + "; last: " + tasks
            + "\nqueue: " + get("/v2/queue").body());
      }
      Thread.sleep(100);
      tasks = tasks(appId, null);
    }
    return tasks;
  }

  static Predicate<List<JsonNode>> running(int n) {
    return ts -> ts.size() == n && ts.stream().allMatch(t -> "TASK_RUNNING".equals(t.path("state").asText()));
  }
}
