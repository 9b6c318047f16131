package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task logs, sandbox files and the {@code /service/<name>/} proxy through the master's one HTTP entry point,
 * on a master and an agent in separate processes: the gateway finds the agent of each task and forwards.
 */
class LogsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static Cluster cluster;
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir, 1, i -> "127.0.0.1", "cpus:2;mem:1024;disk:512");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + cluster.httpPort + path;
  }

  @Test
  void followsATasksLinesThroughTheGatewayAndTheCli() throws Exception {
    assertThat(cluster.api.post("/v2/apps", """
        {"id": "/logs/ticker", "instances": 1, "cpus": 0.1, "mem": 32,
         "cmd": "i=0; while :; do echo tick-$i; echo warn-$i >&2; i=$((i+1)); sleep 0.2; done"}
        """).status()).isEqualTo(201);
    String taskId = cluster.api.awaitTasks("/logs/ticker", Marathon.running(1), WAIT).get(0).path("id").asText();

    // the event stream: meta first, then lines as they are written
    HttpResponse<InputStream> r = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(
        url("/system/v1/logs/tasks/" + taskId + "/stdout?lines=0&follow=true")))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
        try {
          String l;
          while (lines.size() < 6 && (l = in.readLine()) != null) {
            if (!l.isEmpty()) {
              synchronized (lines) {
                lines.add(l);
              }
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      read.get(10, TimeUnit.SECONDS);
    }
    assertThat(lines.get(0)).isEqualTo("event: meta");
    JsonNode meta = Marathon.JSON.readTree(lines.get(1).substring("data: ".length()));
    assertThat(meta.path("taskId").asText()).isEqualTo(taskId);
    assertThat(meta.path("appId").asText()).isEqualTo("/logs/ticker");
    assertThat(meta.path("agentId").asText()).isNotEmpty();
    assertThat(lines.subList(2, 6)).allSatisfy(l -> assertThat(l).startsWith("data: tick-"));

    // the CLI, by app id: the last lines of stderr
    CorralProcess.Result cli = CorralProcess.run(dir, "task", "log", "--url", url(""), "-n", "3", "--stderr",
        "logs/ticker");
    assertThat(cli.exitCode()).as(cli.output()).isZero();
    assertThat(cli.output()).contains("warn-");

    // sandbox files
    CorralProcess.Result ls = CorralProcess.run(dir, "task", "ls", "--url", url(""), taskId);
    assertThat(ls.output()).contains("stdout").contains("stderr").contains("MODE");
    HttpResponse<String> escape = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(
        url("/system/v1/files/tasks/" + taskId + "/read?path=../../meta")))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(escape.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(
        url("/system/v1/logs/tasks/nobody.1/stdout")))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void followWithTheCliEndsWhenTheTaskEnds() throws Exception {
    assertThat(cluster.api.post("/v2/apps", """
        {"id": "/logs/short", "instances": 1, "cpus": 0.1, "mem": 32,
         "cmd": "for i in 1 2 3 4 5 6; do echo short-$i; sleep 0.5; done"}
        """).status()).isEqualTo(201);
    String taskId = cluster.api.awaitTasks("/logs/short", Marathon.running(1), WAIT).get(0).path("id").asText();
    CorralProcess.Result cli = CorralProcess.run(dir, "task", "log", "--url", url(""), "--follow", "-n", "100",
        taskId);
    assertThat(cli.exitCode()).as(cli.output()).isZero();
    assertThat(cli.output()).contains("short-1").contains("short-6");
  }

  @Test
  void reachesAnAppsWebPageThroughServiceName() throws Exception {
    assertThat(cluster.api.post("/v2/apps", """
        {"id": "/web/dash", "instances": 1, "cpus": 0.1, "mem": 64,
         "labels": {"DCOS_SERVICE_NAME": "dash"},
         "cmd": "mkdir -p docs && echo docs-page > docs/index.html && echo '<a href=\\"docs/\\">docs</a>' > index.html && exec python3 -m http.server --bind 127.0.0.1 $PORT0",
         "portDefinitions": [{"port": 0}]}
        """).status()).isEqualTo(201);
    cluster.api.awaitTasks("/web/dash", Marathon.running(1), WAIT);
    HttpResponse<String> page = awaitPage(url("/service/dash/"));
    assertThat(page.body()).contains("href=\"docs/\"");
    // python's server redirects /docs to /docs/: the redirect stays under the prefix
    HttpResponse<String> redirect = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(url("/service/dash/docs")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/service/dash/docs/");
    HttpResponse<String> docs = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(url("/service/dash/docs/")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(docs.body()).contains("docs-page");
    HttpResponse<String> none = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(url("/service/nothing/")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(404);
  }

  /** The task is RUNNING before its server listens: retry the first request briefly. */
  private static HttpResponse<String> awaitPage(String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    HttpResponse<String> r;
    do {
      r = HTTP.send(cluster.api.authorize(HttpRequest.newBuilder(URI.create(address))).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return r;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return r;
  }
}
