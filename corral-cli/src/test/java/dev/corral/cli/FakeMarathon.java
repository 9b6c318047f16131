package dev.corral.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Marathon stand-in on 127.0.0.1 and a free port: serves canned answers keyed by method and raw path with
 * query, records every request. Unknown routes answer 404 with a body that names the route, so a test
 * that asks for the wrong path fails with a message that says which one.
 *
 * <p>A route can answer a sequence (one answer per request, the last one repeating: a deployment that is
 * listed, then gone) or an event stream ({@code text/event-stream}) that is either closed after its events or
 * held open until the fake is closed, like a real one.
 */
public final class FakeMarathon implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String uri, String contentType, String accept, String body,
      String authorization) {}

  private record Answer(int status, Map<String, String> headers, String body, boolean holdOpen) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Answer>> answers = new HashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  public FakeMarathon() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // A stream held open occupies its handler thread; other requests need threads of their own.
    server.setExecutor(executor);
    server.start();
  }

  /** Answers {@code method uri} (path and query exactly as sent) with {@code status} and a JSON body. */
  public FakeMarathon on(String method, String uri, int status, String body) {
    return on(method, uri, status, Map.of(), body);
  }

  public FakeMarathon on(String method, String uri, int status, Map<String, String> headers, String body) {
    return answer(method, uri, new Answer(status, headers, body, false));
  }

  /** Answers successive requests with successive bodies (status 200); the last one answers every later request. */
  public FakeMarathon onSequence(String method, String uri, String... bodies) {
    synchronized (answers) {
      Deque<Answer> queue = new ArrayDeque<>();
      for (String body : bodies) {
        queue.add(new Answer(200, Map.of(), body, false));
      }
      answers.put(method + " " + uri, queue);
    }
    return this;
  }

  /**
   * Serves {@code GET uri} as a server-sent event stream with {@code events} (in the wire format).
   *
   * @param holdOpen keep the connection open after the events until {@link #close()}, as a live stream does
   */
  public FakeMarathon onEventStream(String uri, String events, boolean holdOpen) {
    return answer("GET", uri, new Answer(200, Map.of("Content-Type", "text/event-stream"), events, holdOpen));
  }

  private FakeMarathon answer(String method, String uri, Answer answer) {
    synchronized (answers) {
      Deque<Answer> queue = new ArrayDeque<>();
      queue.add(answer);
      answers.put(method + " " + uri, queue);
    }
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests for {@code method uri}, e.g. to count polls. */
  public List<Request> requests(String method, String uri) {
    return requests.stream().filter(r -> r.method().equals(method) && r.uri().equals(uri)).toList();
  }

  private Answer next(String key) {
    synchronized (answers) {
      Deque<Answer> queue = answers.get(key);
      if (queue == null) {
        return null;
      }
      return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String uri = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    requests.add(new Request(method, uri, exchange.getRequestHeaders().getFirst("Content-Type"),
        exchange.getRequestHeaders().getFirst("Accept"), body,
        exchange.getRequestHeaders().getFirst("Authorization")));
    Answer answer = next(method + " " + uri);
    if (answer == null) {
      answer = new Answer(404, Map.of(), "{\"message\":\"fake has no route for " + method + " " + uri + "\"}",
          false);
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    if (!answer.headers().containsKey("Content-Type")) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    if (answer.holdOpen()) {
      exchange.sendResponseHeaders(answer.status(), 0); // chunked: no length, the stream has no end
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
        out.flush();
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // The client hung up, as a watcher does once its deployment is over.
      }
      return;
    }
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
