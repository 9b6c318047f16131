package dev.corral.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Marathon stand-in on 127.0.0.1 and a free port: serves canned answers keyed by method and raw path with
 * query, records every request. Unknown routes answer 404 with a body that names the route, so a test
 * that asks for the wrong path fails with a message that says which one.
 */
public final class FakeMarathon implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String uri, String contentType, String body) {}

  private record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeMarathon() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers {@code method uri} (path and query exactly as sent) with {@code status} and a JSON body. */
  public FakeMarathon on(String method, String uri, int status, String body) {
    return on(method, uri, status, Map.of(), body);
  }

  public FakeMarathon on(String method, String uri, int status, Map<String, String> headers, String body) {
    answers.put(method + " " + uri, new Answer(status, headers, body));
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String uri = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    requests.add(new Request(method, uri, exchange.getRequestHeaders().getFirst("Content-Type"), body));
    Answer answer = answers.getOrDefault(method + " " + uri,
        new Answer(404, Map.of(), "{\"message\":\"fake has no route for " + method + " " + uri + "\"}"));
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
