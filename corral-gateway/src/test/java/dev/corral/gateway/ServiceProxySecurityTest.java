package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.corral.gateway.auth.Account;
import dev.corral.gateway.auth.Directory;
import dev.corral.gateway.auth.Passwords;
import dev.corral.gateway.auth.Security;
import dev.corral.services.engine.ServiceTargets;
import dev.corral.state.MemoryStore;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service proxy against hostile requests, written byte for byte on a socket so that no client
 * normalizes them first: authentication on, a caller allowed only {@code /service/flink/}, a backend that
 * records every request it gets, and a master API route that must stay out of reach.
 */
class ServiceProxySecurityTest {
  /** What the backend saw: method, raw path and query, headers. */
  record Seen(String method, String target, Headers headers, String body) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> apiCalls = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> upgrades = new CopyOnWriteArrayList<>();
  private HttpServer backend;
  private Javalin wsBackend;
  private Javalin server;
  private Gateway gateway;
  private Security security;
  private String aliceToken;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.setExecutor(Executors.newCachedThreadPool());
    backend.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
      seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body));
      byte[] out = "backend".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    backend.start();
    ServiceTargets flink = new ServiceTargets(List.of("/flink"), List.of(new ServiceTargets.Target("/flink",
        "flink.1", "127.0.0.1", backend.getAddress().getPort(), "http", true, null, false)));
    wsBackend = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.wsBeforeUpgrade("/<rest>", ctx -> upgrades.add(ctx.headerMap()));
      config.routes.ws("/<rest>", ws -> ws.onMessage(ctx -> ctx.send("echo " + ctx.message())));
    }).start("127.0.0.1", 0);
    ServiceTargets chat = new ServiceTargets(List.of("/chat"), List.of(new ServiceTargets.Target("/chat",
        "chat.1", "127.0.0.1", wsBackend.port(), "http", true, null, false)));
    MemoryStore store = new MemoryStore();
    allowOnlyFlink(store);
    security = Security.enabled(store, Clock.systemUTC());
    aliceToken = security.issueToken("alice", Duration.ofHours(1)).orElseThrow();
    gateway = new Gateway(id -> CompletableFuture.completedFuture(Optional.empty()),
        name -> CompletableFuture.completedFuture(name.equals("flink") ? flink
            : name.equals("chat") ? chat : new ServiceTargets(List.of(), List.of())), AgentDirectory.NONE, security.accessCheck());
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      security.install(config);
      config.routes.addHttpHandler(HandlerType.GET, "/v2/apps", ctx -> {
        apiCalls.add(ctx.path());
        ctx.result("{\"apps\":[]}");
      });
      gateway.install(config);
    }).start("127.0.0.1", 0);
  }

  /** Through the directory the IAM API writes to: alice may use /service/flink/ and nothing else. */
  private static void allowOnlyFlink(MemoryStore store) {
    try (Directory directory = new Directory(store, Clock.systemUTC())) {
      directory.putAccount(new Account("alice", "", Passwords.hash("password1"), null));
      directory.setPermission("corral:service:proxy:flink", false, "alice", "full", true);
      directory.setPermission("corral:service:proxy:chat", false, "alice", "full", true);
    }
  }

  @AfterEach
  void stop() {
    server.stop();
    gateway.close();
    security.close();
    backend.stop(0);
    wsBackend.stop();
  }

  /** Writes {@code request} as is and returns what came back until the server stopped sending. */
  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // kept alive, or reset after an error answer: what arrived is the answer
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private String get(String target, String... headers) throws Exception {
    return raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken + "\r\n"
        + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList())
        + "Connection: close\r\n\r\n");
  }

  private static int status(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 ");
    return Integer.parseInt(answer.substring(9, 12));
  }

  @Test
  void theCallerReachesTheServiceButNotTheApi() throws Exception {
    assertThat(status(get("/service/flink/jobs"))).isEqualTo(200);
    assertThat(seen).extracting(Seen::target).containsExactly("/jobs");
    assertThat(status(get("/v2/apps"))).isEqualTo(403);
    assertThat(apiCalls).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/service/flink/../../v2/apps",
      "/service/flink/../v2/apps",
      "/service/flink/%2e%2e/%2e%2e/v2/apps",
      "/service/flink/%2E%2E/%2E%2E/v2/apps",
      "/service/flink/..%2f..%2fv2/apps",
      "/service/flink/..%2F..%2Fv2%2Fapps",
      "/service/flink/.%2e/.%2e/v2/apps",
      "/service/flink/%2e%2e%2f%2e%2e%2fv2%2fapps",
      "/service/flink/..\\..\\v2\\apps",
      "/service/flink/..%5c..%5cv2%5capps",
      "/service/flink/%252e%252e/%252e%252e/v2/apps",
      "/service/flink/x/..;/..;/..;/v2/apps",
      "/service/flink/./../other/secret",
      "/service/flink%2f..%2f..%2fv2%2fapps",
      "/service/other%2f..%2fflink/x",
      "/service/%2e%2e/v2/apps",
  })
  void dotSegmentsAndEncodedSlashesNeverLeaveTheServiceUnchecked(String target) throws Exception {
    int code = status(get(target));
    assertThat(apiCalls).as("the master's API was reached by " + target).isEmpty();
    assertThat(seen).as("the service was reached by " + target).isEmpty();
    assertThat(code).isIn(400, 403, 404);
  }

  @Test
  void anEncodedSlashThatCannotClimbReachesTheServiceAsSent() throws Exception {
    assertThat(status(get("/service/flink/api/queues/%2F/q1"))).isEqualTo(200);
    assertThat(seen).extracting(Seen::target).containsExactly("/api/queues/%2F/q1");
  }

  @Test
  void theRestOfThePathIsKeptOnlyWhenItCannotClimb() {
    assertThat(ServiceProxy.rest("/service/flink/jobs/1?x", "flink")).isEqualTo("/jobs/1?x");
    assertThat(ServiceProxy.rest("/service/flink/a%20b/100%25", "flink")).isEqualTo("/a%20b/100%25");
    assertThat(ServiceProxy.rest("/service/flink", "flink")).isEmpty();
    assertThat(ServiceProxy.rest("/service/flink/..;x/v2", "flink")).isNull();
    assertThat(ServiceProxy.rest("/service/flink/a\\..\\..\\v2", "flink")).isNull();
    assertThat(ServiceProxy.rest("/service/flink/a%5c..%5c..%5cv2", "flink")).isNull();
    assertThat(ServiceProxy.rest("/service/flink/..%2fv2", "flink")).isNull();
    // an encoded slash alone cannot climb: RabbitMQ's API names the default vhost %2F
    assertThat(ServiceProxy.rest("/service/flink/api/queues/%2F/q1", "flink")).isEqualTo("/api/queues/%2F/q1");
    assertThat(ServiceProxy.rest("/service/flink/a..b/.well-known/x", "flink")).isEqualTo("/a..b/.well-known/x");
    assertThat(ServiceProxy.rest("/service/flink/%252e%252e/v2", "flink")).isNull();
    assertThat(ServiceProxy.rest("/service/fl%69nk/x", "flink")).isEqualTo("/x");
    assertThat(ServiceProxy.rest("/service/other/x", "flink")).isNull();
    assertThat(ServiceProxy.rest("/x/../service/flink/x", "flink")).isNull();
  }

  @Test
  void bothContentLengthAndTransferEncodingAreRefused() throws Exception {
    String smuggled = "GET /v2/apps HTTP/1.1\r\nHost: localhost\r\n\r\n";
    String answer = raw("POST /service/flink/in HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken
        + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
    assertThat(status(answer)).isEqualTo(400);
    assertThat(seen).isEmpty();
    assertThat(apiCalls).isEmpty();
  }

  @Test
  void duplicateContentLengthIsRefused() throws Exception {
    String answer = raw("POST /service/flink/in HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken
        + "\r\nContent-Length: 5\r\nContent-Length: 30\r\n\r\nhello" + "GET /v2/apps HTTP/1.1\r\n\r\n");
    assertThat(status(answer)).isEqualTo(400);
    assertThat(seen).isEmpty();
    assertThat(apiCalls).isEmpty();
  }

  @Test
  void obsoleteLineFoldingIsRefused() throws Exception {
    String answer = raw("GET /service/flink/in HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken
        + "\r\nX-Folded: a\r\n Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    assertThat(status(answer)).isEqualTo(400);
    assertThat(seen).isEmpty();
  }

  @Test
  void anUnknownTransferCodingIsRefused() throws Exception {
    String answer = raw("POST /service/flink/in HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken
        + "\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n");
    assertThat(status(answer)).isIn(400, 501);
    assertThat(seen).isEmpty();
  }

  @Test
  void aChunkedBodyReachesTheServiceAsOneRequestWithItsOwnFraming() throws Exception {
    String answer = raw("POST /service/flink/in HTTP/1.1\r\nHost: localhost\r\nAuthorization: token=" + aliceToken
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n");
    assertThat(status(answer)).isEqualTo(200);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).body()).isEqualTo("hello");
  }

  @Test
  void hopByHopHeadersAndTheCorralCredentialsStayAtTheGateway() throws Exception {
    String answer = get("/service/flink/h", "Connection: X-Secret, keep-alive", "X-Secret: for the proxy only",
        "Keep-Alive: timeout=5", "Proxy-Authorization: Basic cHJveHk6cHc=", "Proxy-Connection: keep-alive",
        "TE: trailers", "Cookie: theme=dark; corral-token=" + aliceToken + "; lang=en",
        "X-Kept: yes");
    assertThat(status(answer)).isEqualTo(200);
    assertThat(seen).hasSize(1);
    Headers h = seen.get(0).headers();
    assertThat(h.getFirst("X-Kept")).isEqualTo("yes");
    assertThat(h.getFirst("Cookie")).isEqualTo("theme=dark; lang=en");
    for (String gone : List.of("X-Secret", "Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "TE",
        "Upgrade", "Authorization")) {
      assertThat(h.containsKey(gone)).as(gone + " was forwarded").isFalse();
    }
    assertThat(String.join(",", h.getOrDefault("Connection", List.of()))).doesNotContain("X-Secret");
  }

  @Test
  void aBearerCorralTokenIsNotForwardedEither() throws Exception {
    String answer = raw("GET /service/flink/b HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + aliceToken
        + "\r\nConnection: close\r\n\r\n");
    assertThat(status(answer)).isEqualTo(200);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).headers().containsKey("Authorization")).isFalse();
  }

  @Test
  void theServicesOwnCredentialsPassWhenTheCookieAuthenticates() throws Exception {
    String answer = raw("GET /service/flink/b HTTP/1.1\r\nHost: localhost\r\nCookie: corral-token=" + aliceToken
        + "\r\nAuthorization: Basic dXNlcjpwdw==\r\nConnection: close\r\n\r\n");
    // Basic is not a Corral scheme: the cookie authenticates, and the service gets its own header
    assertThat(status(answer)).isEqualTo(200);
    assertThat(seen.get(0).headers().getFirst("Authorization")).isEqualTo("Basic dXNlcjpwdw==");
    assertThat(seen.get(0).headers().containsKey("Cookie")).isFalse();
  }

  @Test
  void aWebSocketUpgradeKeepsTheCorralCredentialsAtTheGatewayToo() throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "token=" + aliceToken)
        .header("Cookie", "theme=dark; corral-token=" + aliceToken)
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/service/chat/socket"),
            new java.net.http.WebSocket.Listener() {
              @Override
              public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                  boolean last) {
                reply.complete(data.toString());
                return null;
              }
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    ws.sendText("hi", true);
    assertThat(reply.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo hi");
    ws.abort();
    assertThat(upgrades).hasSize(1);
    Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(upgrades.get(0));
    assertThat(h).doesNotContainKey("Authorization");
    assertThat(h.get("Cookie")).isEqualTo("theme=dark");
  }

  @Test
  void aWebSocketPathThatClimbsIsRefused() throws Exception {
    String answer = raw("GET /service/chat/..%5c..%5cv2 HTTP/1.1\r\nHost: localhost\r\nAuthorization: token="
        + aliceToken + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    assertThat(status(answer)).isEqualTo(400);
    assertThat(upgrades).isEmpty();
  }
}
