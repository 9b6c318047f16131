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
  private final String host;
  private final int port;
  /** A fixed token (or "" for none); null: the admin token `corral up`/`corral master` wrote for this port. */
  private final String fixedToken;
  private volatile String token;

  /** A client that authenticates as the cluster's admin, with the token from the CLI context. */
  Marathon(int port) {
    this("127.0.0.1", port);
  }

  Marathon(String host, int port) {
    this(host, port, null);
  }

  private Marathon(String host, int port, String fixedToken) {
    this.base = "http://" + host + ":" + port;
    this.host = host;
    this.port = port;
    this.fixedToken = fixedToken;
  }

  /** The same API with {@code token} instead of the admin's; null or "" sends none. */
  Marathon as(String token) {
    return new Marathon(host, port, token == null ? "" : token);
  }

  /** The token this client sends (null when none). */
  String token() {
    if (fixedToken != null) {
      return fixedToken.isEmpty() ? null : fixedToken;
    }
    String t = token;
    if (t == null) {
      t = CorralProcess.token(port);
      token = t;
    }
    return t;
  }

  /** Adds this client's credentials to a request built elsewhere (event streams, proxied services). */
  HttpRequest.Builder authorize(HttpRequest.Builder request) {
    String t = token();
    return t == null ? request : request.header("Authorization", "token=" + t);
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

  /** A GET whose body is read as it arrives (event streams), with an Accept header; the caller closes it. */
  HttpResponse<java.io.InputStream> stream(String path, String accept) throws Exception {
    return http.send(authorize(HttpRequest.newBuilder(URI.create(base + path))).header("Accept", accept).GET()
        .build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Opens a WebSocket to {@code path} on the same server, offering the given subprotocols. */
  java.net.http.WebSocket webSocket(String path, java.net.http.WebSocket.Listener listener, String... subprotocols)
      throws Exception {
    java.net.http.WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    String t = token();
    if (t != null) {
      b.header("Authorization", "token=" + t);
    }
    if (subprotocols.length > 0) {
      b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    return b.buildAsync(URI.create(base.replaceFirst("^http", "ws") + path), listener)
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private Response send(HttpRequest.Builder request) throws Exception {
    String used = token();
    HttpResponse<String> r = http.send(authorize(request.copy()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 401 && fixedToken == null) {
      // a restarted cluster writes a fresh context: read it again once
      token = null;
      if (!java.util.Objects.equals(used, token())) {
        r = http.send(authorize(request.copy()).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
      }
    }
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
