package dev.corral.agent.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry that wants credentials: HTTP Basic in front of a {@link TestRegistry}, passing reads (GET, HEAD)
 * through once the user and password match and answering 401 with a Basic challenge otherwise, as a private
 * registry does.
 */
public final class BasicAuthProxy implements AutoCloseable {
  private static final List<String> PASSED_BACK = List.of("Content-Type", "Docker-Content-Digest",
      "Docker-Distribution-Api-Version", "Location");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String upstream;
  private final String expected;
  private final AtomicInteger refused = new AtomicInteger();

  private BasicAuthProxy(String upstream, String user, String password) throws IOException {
    this.upstream = upstream;
    this.expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static BasicAuthProxy start(TestRegistry registry, String user, String password) throws IOException {
    return new BasicAuthProxy(registry.host(), user, password);
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The Docker config.json that logs in here: {@code {"auths": {HOST: {"auth": base64(user:password)}}}}. */
  public static String dockerConfig(String host, String user, String password) {
    return "{\"auths\": {\"" + host + "\": {\"auth\": \""
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}";
  }

  /** Requests answered 401. */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-registry\"");
        ex.getResponseHeaders().add("Docker-Distribution-Api-Version", "registry/2.0");
        ex.getResponseHeaders().add("Content-Type", "application/json");
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
            .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(401, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
      String accept = ex.getRequestHeaders().getFirst("Accept");
      if (accept != null) {
        forward.header("Accept", String.join(",", ex.getRequestHeaders().get("Accept")));
      }
      HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      for (String name : PASSED_BACK) {
        answer.headers().firstValue(name).ifPresent(v -> ex.getResponseHeaders().add(name, v));
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      long length = answer.headers().firstValueAsLong("Content-Length").orElse(answer.body().length);
      if (head) {
        ex.getResponseHeaders().add("Content-Length", Long.toString(length));
        ex.sendResponseHeaders(answer.statusCode(), -1);
        return;
      }
      ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
