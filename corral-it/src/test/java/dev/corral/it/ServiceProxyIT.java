package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets and server-sent events through the gateway's {@code /service/<name>/} proxy, end to end: a small
 * Javalin app ({@link WebSocketEchoApp}) runs as a task labelled {@code DCOS_SERVICE_NAME}; a WebSocket client
 * talks to it through the gateway in both directions, closes travel both ways with their codes, and an event
 * stream arrives event by event rather than when the app's answer ends.
 */
class ServiceProxyIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static SingleNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:2;mem:2048;disk:512", 10);
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = Path.of("target/test-classes").toAbsolutePath() + ":"
        + CorralProcess.distribution().resolve("lib").toAbsolutePath() + "/*";
    String app = """
        {"id": "/proxyit/echo", "instances": 1, "cpus": 0.2, "mem": 256,
         "labels": {"DCOS_SERVICE_NAME": "echo"},
         "cmd": "exec %s -Xmx64m -XX:+UseSerialGC -cp '%s' dev.corral.it.WebSocketEchoApp $PORT0",
         "portDefinitions": [{"port": 0}]}
        """.formatted(java, classpath);
    Marathon.Response created = node.api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    node.api.awaitTasks("/proxyit/echo", Marathon.running(1), WAIT);
    // RUNNING comes before the JVM listens
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (node.api.get("/service/echo/last-close").status() != 200) {
      assertThat(System.nanoTime()).as("the app never answered through the gateway").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aWebSocketIsTunnelledToTheTaskBothWaysAndTheTasksCloseReachesTheClient() throws Exception {
    Recorder r = new Recorder();
    WebSocket ws = node.api.webSocket("/service/echo/ws?room=1", r);
    assertThat(r.next()).isEqualTo("hello room=1"); // the path and query reached the task
    ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
    assertThat(r.next()).isEqualTo("echo:ping");
    String large = "x".repeat(100_000); // more than one frame on the way
    ws.sendText(large, true).get(10, TimeUnit.SECONDS);
    assertThat(r.next()).isEqualTo("echo:" + large);
    ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), true).get(10, TimeUnit.SECONDS);
    assertThat(r.next()).isEqualTo("binary:1,2,3,4");

    ws.sendText("close-me", true).get(10, TimeUnit.SECONDS);
    assertThat(r.next()).isEqualTo("closed:4001 bye");
  }

  @Test
  void theSubprotocolTheTaskTakesIsTheClients() throws Exception {
    // the app itself takes it (directly on its port) ...
    int port = node.api.tasks("/proxyit/echo", "TASK_RUNNING").get(0).path("ports").get(0).asInt();
    WebSocket direct = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("echo.v1")
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/ws"), new Recorder()).get(10, TimeUnit.SECONDS);
    assertThat(direct.getSubprotocol()).isEqualTo("echo.v1");
    direct.abort();
    // ... and through the gateway the client gets the same answer
    Recorder r = new Recorder();
    WebSocket ws = node.api.webSocket("/service/echo/ws", r, "echo.v1", "other");
    assertThat(ws.getSubprotocol()).isEqualTo("echo.v1");
    assertThat(r.next()).startsWith("hello");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientsCloseReachesTheTaskWithItsCode() throws Exception {
    Recorder r = new Recorder();
    WebSocket ws = node.api.webSocket("/service/echo/ws", r);
    assertThat(r.next()).startsWith("hello");
    ws.sendClose(4002, "client done").get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String seen;
    do {
      seen = node.api.get("/service/echo/last-close").body();
      if (seen.equals("4002 client done")) {
        break;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    assertThat(seen).isEqualTo("4002 client done");
  }

  @Test
  void anUpgradeToAnUnknownServiceIsRefusedWithHttp404() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    try {
      node.api.webSocket("/service/nothing/ws", new Recorder());
    } catch (Exception e) {
      failure.complete(e);
    }
    assertThat(failure).isCompleted();
    assertThat(failure.join()).rootCause().hasMessageContaining("404");
  }

  @Test
  void serverSentEventsArriveOneByOneThroughTheProxy() throws Exception {
    HttpResponse<InputStream> stream = node.api.stream("/service/echo/events", "text/event-stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("text/event-stream"));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      // the app holds its answer open until /release: the first event can only be here if it was not buffered
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readData(lines));
      assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(node.api.get("/service/echo/release").body()).isEqualTo("released");
      CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> readData(lines));
      assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo("two");
    }
  }

  /** The next event's data line. */
  private static String readData(BufferedReader lines) {
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          return line.substring(6);
        }
      }
      return null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Collects what a WebSocket receives: whole text messages, binary ones as "binary:b,b,…", the close. */
  private static final class Recorder implements WebSocket.Listener {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      StringBuilder b = new StringBuilder("binary:");
      while (data.hasRemaining()) {
        b.append(data.get()).append(data.hasRemaining() ? "," : "");
      }
      received.add(b.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      received.add("closed:" + code + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      received.add("error:" + error);
    }

    String next() throws InterruptedException {
      String m = received.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s").isNotNull();
      return m;
    }
  }
}
