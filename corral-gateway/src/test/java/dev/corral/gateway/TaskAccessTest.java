package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.corral.master.TaskEndpoint;
import dev.corral.services.app.AppIds;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task routes (logs, files, exec) ask the access check with the app the task belongs to, and a refusal
 * reaches neither the agent nor the caller's stream: a real server, a fake agent that records what it is asked.
 */
class TaskAccessTest {
  private static final String A_TASK = "a_web." + UUID.randomUUID();
  private static final String B_TASK = "b_web." + UUID.randomUUID();
  private static final String OTHER_FRAMEWORK_TASK = "broker-0";
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> agentSaw = new CopyOnWriteArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private HttpServer agent;
  private Gateway gateway;
  private Javalin server;

  @BeforeEach
  void start() throws Exception {
    agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext("/", ex -> {
      agentSaw.add(ex.getRequestURI().getRawPath());
      byte[] body = "log line\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    agent.start();
    int port = agent.getAddress().getPort();
    Map<String, TaskEndpoint> tasks = Map.of(
        A_TASK, new TaskEndpoint(A_TASK, "marathon", "a-1", "127.0.0.1", port, "TASK_RUNNING", true),
        B_TASK, new TaskEndpoint(B_TASK, "marathon", "a-1", "127.0.0.1", port, "TASK_RUNNING", true),
        OTHER_FRAMEWORK_TASK, new TaskEndpoint(OTHER_FRAMEWORK_TASK, "kafka", "a-1", "127.0.0.1", port,
            "TASK_RUNNING", true));
    // the caller may use the tasks of apps under /a only
    AccessCheck access = (request, use, taskId, runSpecId) -> {
      asked.add(use + " " + taskId + " " + runSpecId);
      return runSpecId != null && runSpecId.startsWith("/a/") ? null
          : new AccessCheck.Denial(403, "not " + runSpecId, "{\"message\":\"not " + runSpecId + "\"}");
    };
    gateway = new Gateway(id -> CompletableFuture.completedFuture(Optional.ofNullable(tasks.get(id))),
        name -> CompletableFuture.failedFuture(new IllegalStateException("no services")), AgentDirectory.NONE, access)
        .withTaskOwner(t -> CompletableFuture.completedFuture(
            t.frameworkId().equals("marathon") ? AppIds.ofTaskId(t.taskId()) : Optional.empty()));
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      gateway.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
    gateway.close();
    agent.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void logsAndFilesOfAnAllowedAppsTaskReachTheAgentOthersAreRefusedBeforeIt() throws Exception {
    assertThat(get("/system/v1/logs/tasks/" + A_TASK + "/stdout").body()).isEqualTo("log line\n");
    assertThat(get("/system/v1/files/tasks/" + A_TASK + "/read?path=stdout").statusCode()).isEqualTo(200);
    assertThat(asked).containsExactly("LOGS " + A_TASK + " /a/web", "LOGS " + A_TASK + " /a/web");

    HttpResponse<String> refused = get("/system/v1/logs/tasks/" + B_TASK + "/stdout");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("{\"message\":\"not /b/web\"}");
    assertThat(get("/system/v1/files/tasks/" + B_TASK + "/download?path=stdout").statusCode()).isEqualTo(403);
    assertThat(get("/system/v1/logs/tasks/" + OTHER_FRAMEWORK_TASK + "/stdout").statusCode()).isEqualTo(403);
    assertThat(asked).contains("LOGS " + OTHER_FRAMEWORK_TASK + " null");
    assertThat(agentSaw).containsExactly("/logs/v1/tasks/" + A_TASK + "/stdout", "/files/v1/tasks/" + A_TASK + "/read");
    assertThat(get("/system/v1/logs/tasks/nope/stdout").statusCode()).isEqualTo(404);
  }

  @Test
  void execIntoAnotherAppsTaskIsRefusedBeforeTheAgentIsCalled() throws Exception {
    assertThat(execStatus(B_TASK)).isEqualTo(403);
    assertThat(asked).containsExactly("EXEC " + B_TASK + " /b/web");
    // allowed: on to the agent (this fake one speaks no WebSocket, which the gateway reports as such)
    assertThat(execStatus(A_TASK)).isNotIn(401, 403);
    assertThat(agentSaw).containsExactly("/exec/v1/tasks/" + A_TASK);
  }

  private int execStatus(String taskId) throws Exception {
    try {
      client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
          + "/system/v1/exec/tasks/" + taskId), new WebSocket.Listener() {}).get(30, TimeUnit.SECONDS);
      return 101;
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }
}
