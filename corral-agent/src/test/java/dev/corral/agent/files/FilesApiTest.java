package dev.corral.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's files and logs API on a real server, over real sandbox directories. */
class FilesApiTest {
  @TempDir
  Path work;
  private final Map<String, TaskFacts> table = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private AgentHttpServer server;
  private Path sandbox;

  @BeforeEach
  void start() throws Exception {
    Path root = work.resolve("sandboxes");
    sandbox = Files.createDirectories(root.resolve("web.1"));
    Files.writeString(sandbox.resolve("stdout"), "one\ntwo\nthree\n");
    Files.writeString(sandbox.resolve("stderr"), "");
    Files.createDirectories(sandbox.resolve("conf"));
    Files.writeString(sandbox.resolve("conf/app.yaml"), "x: 1\n");
    Files.writeString(work.resolve("secret"), "no");
    table.put("web.1", new TaskFacts("web.1", "fw-1", "/web", true));
    TaskLookup lookup = new TaskLookup() {
      @Override
      public CompletableFuture<Optional<TaskFacts>> find(String taskId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(table.get(taskId)));
      }

      @Override
      public CompletableFuture<List<String>> liveTaskIds() {
        return CompletableFuture.completedFuture(List.copyOf(table.keySet()));
      }
    };
    LogRotator rotator = new LogRotator(root, lookup, FilesConfig.defaults());
    server = AgentHttpServer.start(new FilesApi(new Sandboxes(root), lookup, rotator.rotations(), () -> "agent-7", null),
        "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void browsesReadsAndDownloads() throws Exception {
    JsonNode list = Json.mapper().readTree(get("/files/v1/tasks/web.1/browse").body());
    assertThat(list.findValuesAsText("path")).containsExactly("conf", "stderr", "stdout");
    assertThat(list.get(0).path("isDir").asBoolean()).isTrue();
    assertThat(Json.mapper().readTree(get("/files/v1/tasks/web.1/browse?path=conf").body()).get(0).path("path")
        .asText()).isEqualTo("conf/app.yaml");
    JsonNode read = Json.mapper().readTree(get("/files/v1/tasks/web.1/read?path=stdout&offset=4&length=3").body());
    assertThat(read.path("data").asText()).isEqualTo("two");
    assertThat(read.path("offset").asLong()).isEqualTo(4);
    JsonNode size = Json.mapper().readTree(get("/files/v1/tasks/web.1/read?path=stdout&offset=-1").body());
    assertThat(size.path("offset").asLong()).isEqualTo(14);
    HttpResponse<String> download = get("/files/v1/tasks/web.1/download?path=conf/app.yaml");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("x: 1\n");
    assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> v.contains("app.yaml"));
  }

  @Test
  void refusesEscapesAndAnswers404ForUnknownTasksAndFiles() throws Exception {
    HttpResponse<String> dotdot = get("/files/v1/tasks/web.1/read?path=../../secret");
    assertThat(dotdot.statusCode()).isEqualTo(400);
    assertThat(dotdot.body()).contains("leaves the sandbox");
    Files.createSymbolicLink(sandbox.resolve("escape"), work.resolve("secret"));
    assertThat(get("/files/v1/tasks/web.1/download?path=escape").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = get("/files/v1/tasks/nope/browse");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no sandbox");
    assertThat(get("/files/v1/tasks/web.1/read?path=nothing").statusCode()).isEqualTo(404);
    assertThat(get("/logs/v1/tasks/web.1/passwd").statusCode()).isEqualTo(400);
    assertThat(get("/files/v1/tasks/web.1/read?path=stdout&offset=x").statusCode()).isEqualTo(400);
  }

  @Test
  void lastLinesAsText() throws Exception {
    HttpResponse<String> r = get("/logs/v1/tasks/web.1/stdout?lines=2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("two\nthree\n");
    assertThat(get("/logs/v1/tasks/web.1/stderr").body()).isEmpty();
  }

  @Test
  void followStreamsMetaLinesAndEof() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/logs/v1/tasks/web.1/stdout?lines=1&follow=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> v.startsWith("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = in.readLine()) != null) {
          if (!l.isEmpty()) {
            lines.add(l);
          }
        }
      } catch (Exception e) {
        // closed
      }
    });
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(2)).until(() -> lines.contains("data: three"));
    assertThat(lines.get(0)).isEqualTo("event: meta");
    JsonNode meta = Json.mapper().readTree(lines.get(1).substring("data: ".length()));
    assertThat(meta.path("agentId").asText()).isEqualTo("agent-7");
    assertThat(meta.path("frameworkId").asText()).isEqualTo("fw-1");
    assertThat(meta.path("appId").asText()).isEqualTo("/web");
    assertThat(lines).doesNotContain("data: two");
    Files.writeString(sandbox.resolve("stdout"), "four\n", StandardOpenOption.APPEND);
    await().atMost(Duration.ofSeconds(1)).until(() -> lines.contains("data: four"));
    table.put("web.1", new TaskFacts("web.1", "fw-1", "/web", false));
    await().atMost(Duration.ofSeconds(3)).until(() -> lines.contains("event: eof"));
    reader.join(2000);
    assertThat(reader.isAlive()).as("the stream ends after eof").isFalse();
  }
}
