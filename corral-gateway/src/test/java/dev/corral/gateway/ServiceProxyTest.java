package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.corral.services.engine.ServiceTargets;
import io.javalin.Javalin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway on a real Javalin server in front of a real HTTP backend (the JDK's server). */
class ServiceProxyTest {
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final AtomicReference<ServiceTargets> targets = new AtomicReference<>();
  private final AtomicReference<String> seenPrefix = new AtomicReference<>();
  private final CountDownLatch releaseStream = new CountDownLatch(1);
  private HttpServer backend;
  private Javalin gatewayServer;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.setExecutor(Executors.newCachedThreadPool());
    backend.createContext("/", ex -> {
      seenPrefix.set(ex.getRequestHeaders().getFirst("X-Forwarded-Prefix"));
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      byte[] body;
      switch (path) {
        case "/":
          body = "<html><a href=\"jobs/overview?x=1\">jobs</a><script src=\"app.js\"></script></html>"
              .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/html");
          ex.sendResponseHeaders(200, body.length);
          break;
        case "/old":
          ex.getResponseHeaders().add("Location", "/new?from=old");
          ex.sendResponseHeaders(302, -1);
          ex.close();
          return;
        case "/echo":
          body = (ex.getRequestMethod() + " " + query + " " + new String(ex.getRequestBody().readAllBytes(),
              StandardCharsets.UTF_8) + " " + ex.getRequestHeaders().getFirst("X-Custom")).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(201, body.length);
          break;
        case "/digest":
          byte[] in = ex.getRequestBody().readAllBytes();
          body = (in.length + " " + java.util.Arrays.hashCode(in) + " "
              + ex.getRequestHeaders().getFirst("Content-Type")).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          break;
        case "/stream":
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            releaseStream.await(10, TimeUnit.SECONDS);
            out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return;
        default:
          body = ("path " + path).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
      }
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    backend.start();
    int port = backend.getAddress().getPort();
    targets.set(new ServiceTargets(List.of("/flink"), List.of(
        new ServiceTargets.Target("/flink", "flink.1", "127.0.0.1", port, "http", true, null, false))));
    gateway = new Gateway(id -> CompletableFuture.completedFuture(Optional.empty()),
        name -> CompletableFuture.completedFuture(name.equals("flink") ? targets.get()
            : new ServiceTargets(List.of(), List.of())));
    gatewayServer = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      gateway.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    releaseStream.countDown();
    gatewayServer.stop();
    gateway.close();
    backend.stop(0);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayServer.port() + path));
  }

  @Test
  void servesThePageWithItsRelativeLinksUnderThePrefix() throws Exception {
    HttpResponse<String> page = send(at("/service/flink/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"jobs/overview?x=1\"");
    assertThat(seenPrefix.get()).isEqualTo("/service/flink");
    // what the browser requests next, resolved against /service/flink/
    URI link = URI.create("http://127.0.0.1:" + gatewayServer.port() + "/service/flink/").resolve("jobs/overview?x=1");
    HttpResponse<String> followed = client.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(followed.body()).isEqualTo("path /jobs/overview");
  }

  @Test
  void withoutTheSlashRedirectsToIt() throws Exception {
    HttpResponse<String> r = send(at("/service/flink?a=b"));
    assertThat(r.statusCode()).isEqualTo(307);
    assertThat(r.headers().firstValue("Location")).hasValue("/service/flink/?a=b");
  }

  @Test
  void rewritesRedirectsToStayUnderThePrefix() throws Exception {
    HttpResponse<String> r = send(at("/service/flink/old"));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/service/flink/new?from=old");
  }

  @Test
  void passesMethodQueryBodyAndHeaders() throws Exception {
    HttpResponse<String> r = send(at("/service/flink/echo?q=1&r=%2F").header("X-Custom", "yes")
        .POST(HttpRequest.BodyPublishers.ofString("payload")));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("POST q=1&r=%2F payload yes");
    HttpResponse<String> put = send(at("/service/flink/echo").method("PUT", HttpRequest.BodyPublishers.ofString("p2")));
    assertThat(put.body()).startsWith("PUT null p2");
  }

  @Test
  void longAndChunkedUploadsPassWholeAndNoContentTypeIsInvented() throws Exception {
    byte[] big = new byte[300_000]; // above the size read whole: streamed to the task
    new java.util.Random(7).nextBytes(big);
    String expected = big.length + " " + java.util.Arrays.hashCode(big) + " application/x-test";
    HttpResponse<String> sized = send(at("/service/flink/digest").header("Content-Type", "application/x-test")
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
    assertThat(sized.body()).isEqualTo(expected);
    // no length known: the JDK client sends it chunked
    HttpResponse<String> chunked = send(at("/service/flink/digest").header("Content-Type", "application/x-test")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
    assertThat(chunked.body()).isEqualTo(expected);
    HttpResponse<String> untyped = send(at("/service/flink/digest").POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(untyped.body()).isEqualTo("1 " + java.util.Arrays.hashCode(new byte[] {'x'}) + " null");
  }

  @Test
  void aTaskThatDoesNotAnswerIs502NamingIt() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    targets.set(new ServiceTargets(List.of("/flink"), List.of(
        new ServiceTargets.Target("/flink", "flink.2", "127.0.0.1", closedPort, "http", true, null, false))));
    HttpResponse<String> r = send(at("/service/flink/"));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("task flink.2 of /flink at 127.0.0.1:" + closedPort + " did not answer");
  }

  @Test
  void streamsWithoutWaitingForTheEnd() throws Exception {
    HttpResponse<InputStream> r = client.send(at("/service/flink/stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("Content-Type")).containsExactly("text/event-stream");
    byte[] first = new byte["data: first\n\n".length()];
    try (InputStream in = r.body()) {
      CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readNBytes(first, 0, first.length);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // the backend holds the rest back: the first event must arrive through the proxy anyway
      assertThat(read.get(3, TimeUnit.SECONDS)).isEqualTo(first.length);
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: first\n\n");
      releaseStream.countDown();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: second\n\n");
    }
  }

  @Test
  void unknownServiceIs404AndNoHealthyTaskIs503() throws Exception {
    HttpResponse<String> missing = send(at("/service/nothing/"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("DCOS_SERVICE_NAME=nothing");
    int port = backend.getAddress().getPort();
    targets.set(new ServiceTargets(List.of("/flink"), List.of(
        new ServiceTargets.Target("/flink", "flink.1", "127.0.0.1", port, "http", true, false, true),
        new ServiceTargets.Target("/flink", "flink.2", "127.0.0.1", port, "http", false, null, true))));
    HttpResponse<String> down = send(at("/service/flink/"));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("service flink has no healthy task; see corral app show /flink");
  }

  @Test
  void unknownTaskLogsAre404WithAClearMessage() throws Exception {
    HttpResponse<String> r = send(at("/system/v1/logs/tasks/ghost.1/stdout"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("task 'ghost.1' is unknown to the master");
  }
}
