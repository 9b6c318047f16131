package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A standby's HTTP server (Javalin with the leader proxy) in front of a "leader" (the JDK's server). */
class LeaderProxyTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicReference<Optional<String>> leader = new AtomicReference<>(Optional.empty());
  private final AtomicReference<String> seenHop = new AtomicReference<>();
  private final AtomicReference<String> seenAuthorization = new AtomicReference<>();
  private final AtomicReference<String> seenCookie = new AtomicReference<>();
  private HttpServer backend;
  private Javalin standby;
  private LeaderProxy proxy;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.setExecutor(Executors.newCachedThreadPool());
    backend.createContext("/", ex -> {
      seenHop.set(ex.getRequestHeaders().getFirst(LeaderProxy.HOP_HEADER));
      seenAuthorization.set(ex.getRequestHeaders().getFirst("Authorization"));
      seenCookie.set(ex.getRequestHeaders().getFirst("Cookie"));
      byte[] in;
      try (InputStream body = ex.getRequestBody()) {
        in = body.readAllBytes();
      }
      byte[] out = (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + new String(in, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(201, out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    backend.start();
    proxy = new LeaderProxy(leader::get, "standby:7070");
    standby = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      proxy.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    standby.stop();
    proxy.close();
    backend.stop(0);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI standby(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + standby.port() + pathAndQuery);
  }

  @Test
  void everyRequestGoesToTheLeaderWithItsMethodPathQueryAndBody() throws Exception {
    leader.set(Optional.of("127.0.0.1:" + backend.getAddress().getPort()));
    HttpResponse<String> r = send(HttpRequest.newBuilder(standby("/v2/apps/a%2Fb?force=true"))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"instances\":2}")));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("PUT /v2/apps/a%2Fb?force=true {\"instances\":2}");
    assertThat(seenHop.get()).isEqualTo("standby:7070");
    assertThat(r.headers().firstValue("Connection")).as("no kept-alive connection to a standby").contains("close");
    assertThat(send(HttpRequest.newBuilder(standby("/"))).body()).isEqualTo("GET / ");
  }

  @Test
  void theCallersCorralCredentialsReachTheLeader() throws Exception {
    // the leader authenticates the request: unlike a service behind /service/, it must see the token
    leader.set(Optional.of("127.0.0.1:" + backend.getAddress().getPort()));
    HttpResponse<String> r = send(HttpRequest.newBuilder(standby("/v2/apps"))
        .header("Authorization", "token=abc.def.ghi").header("Cookie", "corral-token=abc.def.ghi; other=1"));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(seenAuthorization.get()).isEqualTo("token=abc.def.ghi");
    assertThat(seenCookie.get()).isEqualTo("corral-token=abc.def.ghi; other=1");
  }

  @Test
  void duringAnOutageNothingIsForwardedAndTheAnswerSaysWhy() throws Exception {
    leader.set(Optional.of("127.0.0.1:" + backend.getAddress().getPort()));
    AtomicReference<Optional<String>> outage = new AtomicReference<>(Optional.of("no ZooKeeper quorum"));
    proxy.withOutage(outage::get);
    HttpResponse<String> r = send(HttpRequest.newBuilder(standby("/v2/apps"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    assertThat(r.body()).contains("no ZooKeeper quorum");
    assertThat(seenHop.get()).as("nothing reached the last known leader").isNull();
    outage.set(Optional.empty());
    assertThat(send(HttpRequest.newBuilder(standby("/v2/apps"))).statusCode()).isEqualTo(201);
  }

  @Test
  void withoutALeaderTheAnswerIs503ToRetry() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(standby("/v2/apps")));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    assertThat(r.body()).contains("no leading master");
    assertThat(r.headers().firstValue("Connection")).contains("close");
  }

  @Test
  void anUnreachableLeaderIs503AndARequestNeverBouncesBetweenStandbys() throws Exception {
    leader.set(Optional.of("127.0.0.1:1"));
    assertThat(send(HttpRequest.newBuilder(standby("/v2/info"))).statusCode()).isEqualTo(503);
    leader.set(Optional.of("127.0.0.1:" + backend.getAddress().getPort()));
    HttpResponse<String> bounced = send(HttpRequest.newBuilder(standby("/v2/info"))
        .header(LeaderProxy.HOP_HEADER, "other:7070"));
    assertThat(bounced.statusCode()).isEqualTo(503);
    assertThat(bounced.headers().firstValue("Retry-After")).contains("1");
    assertThat(bounced.body()).contains("other:7070");
    assertThat(seenHop.get()).as("not forwarded again").isNull();
  }

  /**
   * A standby whose view of the leader is stale forwards to the former leader, which stands by already: the
   * client gets a 503 to retry (as during an election), never a status it would not retry.
   */
  @Test
  void aRequestForwardedToAFormerLeaderIs503ToRetry() throws Exception {
    LeaderProxy formerProxy = new LeaderProxy(() -> Optional.of("127.0.0.1:" + backend.getAddress().getPort()),
        "former:7070");
    Javalin former = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      formerProxy.install(config);
    }).start("127.0.0.1", 0);
    try {
      leader.set(Optional.of("127.0.0.1:" + former.port()));
      HttpResponse<String> r = send(HttpRequest.newBuilder(standby("/v2/apps"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
      assertThat(r.body()).contains("standby:7070").contains("retry");
      assertThat(seenHop.get()).as("the request went no further than the former leader").isNull();
    } finally {
      former.stop();
      formerProxy.close();
    }
  }

  @Test
  void webSocketsAreTunnelledToTheLeaderWithTheClientsCredentials() throws Exception {
    Javalin leaderServer = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.ws("/system/v1/exec/{task}", ws -> {
        ws.onConnect(ctx -> ctx.send("hello " + ctx.pathParam("task") + " from " + ctx.header(LeaderProxy.HOP_HEADER)
            + " as " + ctx.header("Authorization")));
        ws.onMessage(ctx -> ctx.send("echo " + ctx.message()));
        ws.onBinaryMessage(ctx -> ctx.send(ctx.data()));
        ws.onClose(ctx -> { });
      });
    }).start("127.0.0.1", 0);
    try {
      leader.set(Optional.of("127.0.0.1:" + leaderServer.port()));
      java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
      java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
      java.net.http.WebSocket ws = client.newWebSocketBuilder().header("Authorization", "token=abc")
          .buildAsync(URI.create("ws://127.0.0.1:" + standby.port() + "/system/v1/exec/t1?tty=true"),
              new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                    boolean last) {
                  got.add(data.toString());
                  w.request(1);
                  return null;
                }

                @Override
                public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket w,
                    java.nio.ByteBuffer data, boolean last) {
                  got.add("binary " + StandardCharsets.UTF_8.decode(data));
                  w.request(1);
                  return null;
                }

                @Override
                public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                    String reason) {
                  closed.complete(code);
                  return null;
                }
              }).get(10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(got.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("hello t1 from standby:7070 as token=abc");
      ws.sendText("ls", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(got.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo ls");
      ws.sendBinary(java.nio.ByteBuffer.wrap("raw".getBytes(StandardCharsets.UTF_8)), true)
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(got.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("binary raw");
      ws.sendClose(4000, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4000);
    } finally {
      leaderServer.stop();
    }
  }

  @Test
  void aWebSocketWithoutALeaderIsRefusedWith503() throws Exception {
    java.util.concurrent.CompletableFuture<java.net.http.WebSocket> attempt = client.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + standby.port() + "/system/v1/exec/t1"),
            new java.net.http.WebSocket.Listener() { });
    assertThat(attempt).failsWithin(java.time.Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(503));
  }
}
